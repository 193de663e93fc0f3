import ChatAPI
import Checkpoint
import Foundation
import Logging
import Scheduling

/// Carries a folder's calls to the platform's Batch API and their answers back into the store.
///
/// Every step is written to the store before the next is taken: the intent (its lines and their
/// keys), the uploaded file's id, the batch's id, the collected answers, the deleted files. A run
/// killed anywhere finds, on its rerun, either a step to redo that cost nothing or a step done
/// whose id it can find again by the job's name, so no call goes into two batches and no answer
/// or upload is lost.
struct BatchCourier: Sendable {
    let client: ChatClient
    let store: CheckpointStore
    let settings: PipelineConfig.Batch
    let retries: PipelineConfig.Retries
    let logger: Logger

    /// The metadata key that names a batch's job, so that a rerun finds a batch created just before a kill.
    static let jobKey = "precis_job"

    /// Finishes what a killed run left half done: finds its upload or its batch by name, or forgets
    /// an intent that never reached the platform.
    func recover() async throws {
        let open = try await store.openBatchJobs()
        let intents = open.filter { $0.state == .intent }
        let uploads = intents.isEmpty ? [] : try await call("list files") { try await client.files() }
        for var job in intents {
            if let file = uploads.first(where: {
                $0.filename == Self.fileName(job.name) && ($0.purpose ?? "batch") == "batch"
            }) {
                job.fileID = file.id
                job.state = .uploaded
                try await store.update(job)
                logger.info("batch \(job.name): found its upload \(file.id) from a run that stopped")
            } else {
                try await store.drop(job)
            }
        }
        for job in try await store.openBatchJobs() where job.state == .uploaded {
            try await create(job)
        }
    }

    /// Polls the batches in flight; collects the answers of those that ended, then deletes their files.
    func collect(into step: inout BatchStep) async throws {
        for var job in try await store.openBatchJobs() where job.state == .submitted {
            guard let id = job.batchID else { continue }
            let batch = try await call("poll batch \(id)") { try await client.batch(id) }
            job.remoteStatus = batch.status.rawValue
            job.completed = batch.requestCounts?.completed ?? job.completed
            job.failed = batch.requestCounts?.failed ?? job.failed
            job.polledAt = Date()
            (job.outputFileID, job.errorFileID) = (
                batch.outputFileID ?? job.outputFileID, batch.errorFileID ?? job.errorFileID
            )
            try await store.update(job)
            FailPoint.hit("collect.after-poll")
            guard batch.status.isFinal else { continue }
            let results = try await results(of: job, status: batch.status)
            FailPoint.hit("collect.after-download")
            job.endedAt = Date()
            try await store.collect(job, results: results)
            FailPoint.hit("collect.after-record")
            let answered = results.values.filter { $0.state == .answered }.count
            let failed = results.values.filter { $0.state == .failed }.count
            step.collected += 1
            step.answered += answered
            step.failed += failed
            step.unfinished += max(0, job.lines - answered - failed)
            logger.info(
                "batch \(job.name) (\(id)) \(batch.status.rawValue): \(answered) answered, \(failed) failed, \(max(0, job.lines - answered - failed)) unfinished"
            )
        }
        for job in try await store.openBatchJobs() where job.state == .collected {
            try await clean(job)
        }
    }

    /// Submits `wanted` as new batches: one model each, at most `max_lines` lines and 100 MB a file.
    func submit(_ wanted: [BatchLedger.Wanted], into step: inout BatchStep) async throws {
        for group in try Self.groups(wanted, maxLines: settings.maxLines) {
            let name = "precis-\(UUID().uuidString.prefix(8).lowercased())-\(Int(Date().timeIntervalSince1970))"
            let data = try BatchLine.jsonl(group.map { BatchLine(customID: $0.key, request: $0.request) })
            var job = BatchJob(
                name: name, model: group[0].request.model, lines: group.count, bytes: data.count,
                window: settings.completionWindow)
            try await store.begin(
                job,
                lines: group.map { BatchLineRecord(job: name, customID: $0.key, key: $0.key, document: $0.document) })
            FailPoint.hit("submit.after-intent")
            let file: RemoteFile
            do {
                file = try await call("upload \(Self.fileName(name))") {
                    try await client.uploadFile(named: Self.fileName(name), data: data, purpose: .batch)
                }
            } catch {
                // Nothing reached the platform that a rerun could find; the calls stay wanted. A job
                // the store cannot drop is found by the next run's recovery, which drops it then.
                do { try await store.drop(job) } catch {
                    logger.warning(
                        "cannot drop the unsent batch \(name) from the store; the next run drops it",
                        metadata: ["error": "\(error)"])
                }
                throw error
            }
            FailPoint.hit("submit.after-upload")
            job.fileID = file.id
            job.state = .uploaded
            try await store.update(job)
            FailPoint.hit("submit.after-upload-recorded")
            try await create(job)
            step.submitted += 1
            step.lines += group.count
        }
    }

    /// Asks the platform to cancel every batch of the folder still in flight; a cancelled batch
    /// keeps the lines it finished, which the next run collects.
    func cancel() async throws -> [BatchJob] {
        try await recover()
        var cancelled: [BatchJob] = []
        for var job in try await store.openBatchJobs() where job.state == .submitted {
            guard let id = job.batchID, !(job.remoteStatus.flatMap(Batch.Status.init(rawValue:))?.isFinal ?? false)
            else { continue }
            let batch = try await call("cancel batch \(id)") { try await client.cancelBatch(id) }
            job.remoteStatus = batch.status.rawValue
            try await store.update(job)
            cancelled.append(job)
        }
        return cancelled
    }

    /// Creates the batch of an uploaded job, unless a run killed just after creating it did so already.
    private func create(_ job: BatchJob) async throws {
        var job = job
        guard let fileID = job.fileID else { return }
        if let existing = try await find(job.name) {
            job.batchID = existing.id
            job.remoteStatus = existing.status.rawValue
        } else {
            let (name, window) = (job.name, job.window)
            let batch = try await call("create batch \(name)") {
                try await client.createBatch(
                    inputFileID: fileID, completionWindow: window, metadata: [Self.jobKey: name])
            }
            FailPoint.hit("submit.after-create")
            job.batchID = batch.id
            job.remoteStatus = batch.status.rawValue
        }
        job.state = .submitted
        job.submittedAt = Date()
        try await store.update(job)
        FailPoint.hit("submit.after-create-recorded")
        logger.info(
            "batch \(job.name) submitted as \(job.batchID ?? "?"): \(job.lines) call(s) on \(job.model), window \(job.window)"
        )
    }

    /// The batch named `name` in its metadata, looked for among the account's recent batches.
    private func find(_ name: String) async throws -> Batch? {
        var after: String?
        for _ in 0..<20 {
            let cursor = after
            let page = try await call("list batches") { try await client.batches(after: cursor, limit: 100) }
            if let found = page.batches.first(where: { $0.metadata?[Self.jobKey] == name }) { return found }
            guard page.hasMore, let last = page.batches.last else { return nil }
            after = last.id
        }
        return nil
    }

    /// What became of each line of an ended batch, from its output and error files.
    private func results(of job: BatchJob, status: Batch.Status) async throws -> [String: (
        state: BatchLineRecord.State, answer: Data?, error: String?
    )] {
        var results: [String: (state: BatchLineRecord.State, answer: Data?, error: String?)] = [:]
        for id in [job.outputFileID, job.errorFileID].compactMap({ $0 }) {
            let data = try await call("download \(id)") { try await client.fileContent(id) }
            let lines: [BatchResult]
            do { lines = try BatchResult.parse(data, model: job.model) } catch {
                // A file in a shape precis cannot read: its lines count as failed, and are sent again.
                logger.error(
                    "batch \(job.name): \(client.configuration.redactor.redact(error)); its lines will be sent again")
                continue
            }
            for line in lines {
                switch line.outcome {
                case .success: results[line.customID] = (.answered, line.body, nil)
                case .failure(let error):
                    results[line.customID] = (.failed, nil, client.configuration.redactor.redact(error.description))
                }
            }
        }
        if status == .failed {
            // A batch that failed as a whole (validation) answered none of its lines.
            let lines = try await store.batchLines(job: job.name)
            for line in lines where results[line.customID] == nil {
                results[line.customID] = (.failed, nil, "batch \(job.batchID ?? job.name) failed")
            }
        }
        return results
    }

    /// Deletes a collected job's input, output and error files, and marks it done.
    private func clean(_ job: BatchJob) async throws {
        var job = job
        for id in [job.fileID, job.outputFileID, job.errorFileID].compactMap({ $0 }) {
            do { try await call("delete \(id)") { try await client.deleteFile(id) } } catch let error as ChatAPIError
                where error.code == .notFound
            {
                // Deleted before a kill, or by the platform: gone either way.
            }
            FailPoint.hit("collect.after-delete")
        }
        job.state = .done
        try await store.update(job)
    }

    /// Splits calls into batches: one model each, in order, at most `maxLines` lines and 100 MB.
    static func groups(_ wanted: [BatchLedger.Wanted], maxLines: Int) throws -> [[BatchLedger.Wanted]] {
        var byModel: [String: [BatchLedger.Wanted]] = [:]
        var models: [String] = []
        for call in wanted {
            if byModel[call.request.model] == nil { models.append(call.request.model) }
            byModel[call.request.model, default: []].append(call)
        }
        let encoder = JSONEncoder()
        var groups: [[BatchLedger.Wanted]] = []
        for model in models {
            var current: [BatchLedger.Wanted] = []
            var bytes = 0
            for call in byModel[model]! {
                let size = try encoder.encode(BatchLine(customID: call.key, request: call.request)).count + 1
                if !current.isEmpty && (current.count >= maxLines || bytes + size > RemoteFile.maxBytes) {
                    groups.append(current)
                    (current, bytes) = ([], 0)
                }
                current.append(call)
                bytes += size
            }
            if !current.isEmpty { groups.append(current) }
        }
        return groups
    }

    static func fileName(_ job: String) -> String { job + ".jsonl" }

    /// Makes one platform call, retried as every remote call is: the run's retry policy, with
    /// jitter and the server's `Retry-After`.
    private func call<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let logger = self.logger
        return try await Retrier(policy: retries.policy).run(
            classify: LimitedTransport.classify,
            onRetry: { error, wait in
                logger.warning("\(what): \(error); trying again in \(wait)", metadata: ["stage": "batch"])
            }, body)
    }
}
