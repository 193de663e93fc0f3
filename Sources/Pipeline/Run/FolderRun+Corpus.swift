import Checkpoint
import Foundation
import Summarization

extension FolderRun {
    /// Summarizes the document summaries into one summary of the whole folder (`--corpus-summary`),
    /// with the tree's own rules: packed groups, reduce levels that must shrink, one `final` call.
    func summarizeCorpus(_ reports: [RunReport.File], context: FileJob.Context) async -> RunReport.File {
        let clock = ContinuousClock()
        let start = clock.now
        let spend = DocumentSpend()
        var report: RunReport.File
        do {
            report = try await combine(reports, context: context, spend: spend)
        } catch let error as PipelineError where error.code == .waiting {
            report = RunReport.File(path: OutputLayout.corpusPage, status: .pending, error: FileJob.waitingReason)
            report.waitsForBatch = true
            report.count(spend.value)
        } catch {
            report = RunReport.File(
                path: OutputLayout.corpusPage, status: context.gate.reason == nil ? .failed : .pending,
                error: FileJob.reason(error))
            report.count(spend.value)
        }
        report.seconds = (clock.now - start).seconds
        if report.status == .pending {
            logger.info("pending the whole folder: \(report.error ?? "not finished")")
        } else if report.status == .ok {
            logger.info(
                "ok      the whole folder: \(report.levels) levels, \(report.callsMade) calls made, \(report.callsReused) reused"
            )
        } else {
            logger.error("failed  the whole folder: \(report.error ?? "unknown error")")
        }
        return report
    }

    private func combine(_ reports: [RunReport.File], context: FileJob.Context, spend: DocumentSpend) async throws
        -> RunReport.File
    {
        try context.gate.check()
        let store = context.store
        var summaries: [String] = []
        for file in reports where file.status == .ok || file.status == .skipped {
            if let summary = try await store.summary(of: file.path) { summaries.append(summary) }
        }
        guard !summaries.isEmpty else {
            throw PipelineError(.usage, "no document was summarized, so there is nothing to combine")
        }
        let title = Self.corpusTitle(options.inputs)
        let language = Language.detect(String(summaries.joined(separator: "\n").prefix(20_000)))
        let engine = context.engine
        let tree = engine.tree(config)
        let executor = StoreExecutor(
            store: store, pool: context.pool, path: CheckpointStore.corpusPath, documentOrdinal: reports.count,
            gate: context.gate, spend: spend, config: config, inFlight: context.inFlight, claims: context.claims)
        let result = try await tree.summarize(
            summaries: summaries, documentID: CheckpointStore.corpusPath, title: title, language: language,
            summarizer: engine.summarizer, executor: executor)
        let spent = spend.value
        try await store.link(spent.keys, to: CheckpointStore.corpusPath)
        let all = try await store.callTotals(keys: spent.keys)
        let facts = OutputPages.Facts(
            source: options.inputs.joined(separator: ", "), pipeline: config.name,
            models: result.models.isEmpty ? [config.modelName] : result.models, totals: all,
            currency: config.currency, tokensEstimated: all.usageEstimated, chunks: summaries.count,
            levels: result.levels
        )
        let page = OutputPages.document(title: title, summary: result.summary.text, facts: facts)
        try await AtomicFile.write(
            Data(page.utf8), to: try OutputPath.resolve(OutputLayout.corpusPage, in: options.outputDirectory))
        var report = RunReport.File(
            path: OutputLayout.corpusPage, status: .ok, title: title, output: OutputLayout.corpusPage,
            chunks: summaries.count,
            levels: result.levels, language: language.rawValue, gist: OutputPages.gist(of: result.summary.text))
        report.count(spent)
        return report
    }

    /// What the folder summary is called: the one folder's name, or the inputs' names.
    static func corpusTitle(_ inputs: [String]) -> String {
        let names = inputs.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
        return names.count == 1
            ? names[0]
            : names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
    }
}
