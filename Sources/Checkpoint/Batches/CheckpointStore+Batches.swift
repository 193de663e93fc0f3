import Foundation
import GRDB

extension CheckpointStore {
    /// Every batch job, oldest first.
    public func batchJobs() async throws(CheckpointError) -> [BatchJob] {
        try await read { try BatchJob.order(Column("createdAt"), Column("name")).fetchAll($0) }
    }

    /// The jobs that are not yet `done`, oldest first.
    public func openBatchJobs() async throws(CheckpointError) -> [BatchJob] {
        try await read {
            try BatchJob.filter(Column("state") != BatchJob.State.done.rawValue).order(
                Column("createdAt"), Column("name")
            ).fetchAll($0)
        }
    }

    /// Records the intent to submit `job` with `lines`, all at once, before anything is uploaded.
    public func begin(_ job: BatchJob, lines: [BatchLineRecord]) async throws(CheckpointError) {
        try await write { db in
            try job.insert(db)
            for line in lines { try line.insert(db) }
        }
    }

    /// Records how far a job has come.
    public func update(_ job: BatchJob) async throws(CheckpointError) {
        try await write { try job.update($0) }
    }

    /// Forgets a job that never reached the platform, and its lines.
    public func drop(_ job: BatchJob) async throws(CheckpointError) {
        try await write { db in
            try BatchLineRecord.filter(Column("job") == job.name).deleteAll(db)
            _ = try job.delete(db)
        }
    }

    /// Records a finished batch's lines and the job as `collected`, in one transaction.
    /// - Parameter results: what became of each line, by custom id; lines not named are `unfinished`.
    public func collect(
        _ job: BatchJob, results: [String: (state: BatchLineRecord.State, answer: Data?, error: String?)]
    ) async throws(CheckpointError) {
        try await write { db in
            let lines = try BatchLineRecord.filter(Column("job") == job.name).fetchAll(db)
            for var line in lines {
                let result = results[line.customID] ?? (.unfinished, nil, nil)
                (line.state, line.answer, line.error) = result
                try line.update(db)
            }
            var job = job
            job.state = .collected
            try job.update(db)
        }
    }

    /// Every batch line, with whether its job may still be running, for the run's ledger.
    public func batchLines() async throws(CheckpointError) -> [BatchLineRecord] {
        try await read { try BatchLineRecord.order(Column("job"), Column("customID")).fetchAll($0) }
    }

    /// The lines of one job.
    public func batchLines(job: String) async throws(CheckpointError) -> [BatchLineRecord] {
        try await read { try BatchLineRecord.filter(Column("job") == job).order(Column("customID")).fetchAll($0) }
    }

    /// Drops the answer bodies of batch lines whose calls are stored: the call holds the answer now.
    public func releaseStoredAnswers() async throws(CheckpointError) {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE batch_line SET answer = NULL
                    WHERE state = 'answered' AND answer IS NOT NULL AND key IN (SELECT key FROM call)
                    """)
        }
    }

    /// The text a remote reader gave for the file with `contentHash`.
    public func extractedText(contentHash: String) async throws(CheckpointError) -> ExtractedText? {
        try await read { try ExtractedText.fetchOne($0, key: contentHash) }
    }

    /// Keeps a file's extracted text, so that no rerun uploads the file again.
    public func save(_ text: ExtractedText) async throws(CheckpointError) {
        try await write { try text.save($0) }
    }
}
