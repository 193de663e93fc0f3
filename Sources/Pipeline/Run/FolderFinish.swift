import Checkpoint
import Foundation

/// How a run finishes the folder it works on: whether it holds the folder's lock, whether it makes
/// the folder summary, and which of the folder's pages it writes.
///
/// A lone run finishes the whole folder; a shard leaves the folder's pages to `precis merge`; a
/// fleet's last worker writes them over every worker's files.
protocol FolderFinish: Sendable {
    /// Runs the run's steps (more than one with `--wait` in batch mode) while holding the folder as
    /// this mode must, and writes the report this mode keeps.
    func hold(_ run: FolderRun, steps: @Sendable () async throws(PipelineError) -> RunReport)
        async throws(PipelineError) -> RunReport
    /// Whether this run makes the folder summary, once its files are done.
    func summarizesFolder(_ done: WorkDone, run: FolderRun) -> Bool
    /// Writes the folder's pages for a finished step, as this mode does.
    func finish(_ report: RunReport, done: WorkDone, kept: [FileState], run: FolderRun) async throws(PipelineError)
}

/// A run that has the folder to itself: it holds the lock, and writes `index.md` and `report.json`.
struct WholeFolder: FolderFinish {
    func hold(_ run: FolderRun, steps: @Sendable () async throws(PipelineError) -> RunReport)
        async throws(PipelineError) -> RunReport
    {
        try await run.holdingLock(
            reportURL: run.options.outputDirectory.appendingPathComponent(OutputLayout.report), steps: steps)
    }

    func summarizesFolder(_ done: WorkDone, run: FolderRun) -> Bool {
        run.options.corpusSummary
    }

    func finish(_ report: RunReport, done: WorkDone, kept: [FileState], run: FolderRun) async throws(PipelineError) {
        // `hold` writes report.json once the last step is done.
        try await run.writeFolderPages(report, kept: kept, reportJSON: false)
    }
}

/// One shard of a folder: it holds the shard's own lock and writes the shard's report; the folder's
/// pages and its summary wait for `precis merge`.
struct ShardOfFolder: FolderFinish {
    let shard: Shard

    func hold(_ run: FolderRun, steps: @Sendable () async throws(PipelineError) -> RunReport)
        async throws(PipelineError) -> RunReport
    {
        if run.options.corpusSummary {
            run.logger.notice(
                "shard \(shard) holds part of the folder, so the folder summary waits for `precis merge --corpus-summary`"
            )
        }
        return try await run.holdingLock(reportURL: shard.reportURL(in: run.options.outputDirectory), steps: steps)
    }

    func summarizesFolder(_ done: WorkDone, run: FolderRun) -> Bool { false }

    func finish(_ report: RunReport, done: WorkDone, kept: [FileState], run: FolderRun) async throws(PipelineError) {}
}

/// A worker of a fleet: the queue, not a lock, keeps workers apart, and the worker that closes the
/// round writes the folder's pages and makes its summary.
struct LastWorker: FolderFinish {
    func hold(_ run: FolderRun, steps: @Sendable () async throws(PipelineError) -> RunReport)
        async throws(PipelineError) -> RunReport
    {
        try await steps()
    }

    func summarizesFolder(_ done: WorkDone, run: FolderRun) -> Bool {
        run.options.corpusSummary && done.round?.last == true
    }

    func finish(_ report: RunReport, done: WorkDone, kept: [FileState], run: FolderRun) async throws(PipelineError) {
        guard let round = done.round, round.last else { return }
        let opened = round.opened ?? report.startedAt
        var folder = RunReport(
            pipeline: report.pipeline, model: report.model, currency: report.currency,
            startedAt: opened, seconds: Date().timeIntervalSince(opened), files: round.all)
        folder.inputsGone = report.inputsGone
        folder.pruned = report.pruned
        if let corpus = report.corpus { folder.add(corpus: corpus) }
        try await run.writeFolderPages(folder, kept: kept)
    }
}
