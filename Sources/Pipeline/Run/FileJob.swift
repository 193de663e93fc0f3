import Checkpoint
import Chunking
import Foundation
import Ingest
import Logging
import Scheduling
import Summarization

/// Summarizes one input file, or reports why it could not, or that it was already done.
struct FileJob: Sendable {
    /// What every file of a run shares.
    struct Context: Sendable {
        let store: any RunStore
        let pool: WorkPool
        /// Skip check, read, load, chunk and tree, as the estimate walks them too.
        let path: DocumentPath
        let gate: RunGate
        let logger: Logger
        /// What earlier runs left, by path, read once for the whole run.
        let previous: [String: FileState]
        /// Calls being made now, so the same call wanted by two documents at once is made once.
        let inFlight: InFlightCalls
        /// Where finished files and calls are counted as they happen.
        var progress: RunProgress? = nil
        /// Calls other workers of a fleet are making now.
        var claims: (any CallClaims)? = nil

        var engine: Engine { path.engine }
        var config: PipelineConfig { path.config }
        var fingerprint: String { path.fingerprint }
        var outputDirectory: URL { path.outputDirectory }
    }

    let file: InputFile
    let ordinal: Int
    let context: Context

    /// The output path, relative to the output directory.
    var outputPath: String { OutputPages.pagePath(for: file.id) }

    func run() async -> RunReport.File {
        let clock = ContinuousClock()
        let start = clock.now
        var report: RunReport.File
        let spend = DocumentSpend()
        do {
            try context.gate.check()
            report = try await summarize(spend: spend)
        } catch let error as PipelineError where error.code == .waiting {
            // Not a failure: its next level is in a remote batch, and a later run goes on from there.
            report = RunReport.File(path: file.id, status: .pending, error: Self.waitingReason)
            report.waitsForBatch = true
        } catch let error as IngestError {
            // The report already names the file; the reason is what the user needs.
            report = RunReport.File(path: file.id, status: .failed, error: Self.reason(error))
        } catch  where context.gate.reason != nil {
            // Whatever cut it short (the gate, a cancelled call), the run's stop is why it is not done.
            report = RunReport.File(path: file.id, status: .pending, error: Self.pendingReason(context.gate))
        } catch {
            report = RunReport.File(path: file.id, status: .failed, error: Self.reason(error))
        }
        if report.status == .failed || report.status == .pending {
            // Calls made before the file stopped were paid for and are kept: count them.
            report.count(spend.value)
        }
        report.seconds = (clock.now - start).seconds
        log(report)
        await context.progress?.finished(report, bytes: file.size)
        return report
    }

    private func summarize(spend: DocumentSpend) async throws -> RunReport.File {
        let previous = context.previous[file.id]
        var data: Data?
        var hash: String
        var segments: TextSegments?
        switch try await context.path.open(file, order: ordinal, previous: previous) {
        case .unchanged(let state, let touched):
            if touched {
                // Touched but not changed: note the new size and mtime so the next run need not read it.
                var state = state
                (state.size, state.modified, state.updatedAt) = (file.size, file.modified, Date())
                try await keep { try await context.store.save(state) }
            }
            return skipped(state)
        case .changed(let bytes, let contentHash):
            (data, hash) = (bytes, contentHash)
        case .segmented(let parts, let contentHash):
            (segments, hash) = (parts, contentHash)
        }
        do {
            if let segments {
                let (document, grown) = try await context.path.grow(
                    file, segments: segments, hash: hash, order: ordinal,
                    executor: executor(for: file.id, spend: spend))
                return try await finish(document, grown: grown, spend: spend)
            }
            // The bytes go once decoded and the text once chunked: a file is not held three times over.
            var document = try await context.path.load(file, data: data.take() ?? Data(), hash: hash, order: ordinal)
            let grown = try await context.path.grow(&document, executor: executor(for: document.id, spend: spend))
            return try await finish(document, grown: grown, spend: spend)
        } catch {
            // A call stopped by the gate, or waiting for a batch, says nothing about this file: leave its state as it was.
            if context.gate.reason != nil || (error as? PipelineError)?.code == .waiting { throw error }
            // Keep the last good output and its path: a file that went bad loses nothing already done.
            try await keep {
                try await context.store.save(
                    FileState(
                        path: file.id, contentHash: hash, size: file.size, modified: file.modified,
                        pipelineFingerprint: context.fingerprint, status: .failed, error: Self.reason(error),
                        outputPath: previous?.outputPath, title: previous?.title
                    ))
            }
            throw error
        }
    }

    /// The report of a file the last good run left done, with its page in place.
    private func skipped(_ previous: FileState) -> RunReport.File {
        RunReport.File(
            path: file.id, status: .skipped, title: previous.title, output: previous.outputPath ?? outputPath,
            chunks: previous.chunks, levels: previous.levels, callsReused: previous.calls, gist: previous.gist
        )
    }

    /// Where the document's calls go: the store, then the run's shared pool.
    private func executor(for path: String, spend: DocumentSpend) -> StoreExecutor {
        StoreExecutor(
            store: context.store, pool: context.pool, path: path, documentOrdinal: ordinal, gate: context.gate,
            spend: spend,
            config: context.config, inFlight: context.inFlight, progress: context.progress, claims: context.claims)
    }

    /// Writes the page of a grown document, records it as done, and reports it.
    private func finish(_ document: Document, grown: DocumentPath.Grown, spend: DocumentSpend) async throws
        -> RunReport.File
    {
        let config = context.config
        let (result, chunks) = (grown.result, grown.chunks)
        let spent = spend.value
        let all = try await context.store.callTotals(keys: spent.keys)
        let facts = OutputPages.Facts(
            source: document.id, contentHash: document.contentHash, pipeline: config.name,
            models: result.models.isEmpty ? [config.modelName] : result.models,
            totals: all, currency: config.currency, tokensEstimated: all.usageEstimated, chunks: chunks,
            levels: result.levels
        )
        let parts = config.output.sections ? (result.chapters.isEmpty ? result.sections : result.chapters) : []
        let page = OutputPages.document(
            title: document.title, summary: result.summary.text, facts: facts, sections: parts,
            sectionsHeading: result.chapters.isEmpty ? "Sections" : "Chapters")
        do {
            try await AtomicFile.write(
                Data(page.utf8), to: try OutputPath.resolve(outputPath, in: context.outputDirectory))
        } catch {
            if StorageFault.holds(error) { context.gate.stopForStorage(error) }
            throw error
        }
        let gist = OutputPages.gist(of: result.summary.text)
        try await record(document, grown: grown, gist: gist, calls: spent.keys)
        return report(document, grown: grown, spent: spent, gist: gist)
    }

    /// Records the document as done, with exactly the calls its tree uses.
    private func record(_ document: Document, grown: DocumentPath.Grown, gist: String, calls: Set<String>) async throws
    {
        let (result, chunks) = (grown.result, grown.chunks)
        try await keep {
            try await context.store.save(
                FileState(
                    path: document.id, contentHash: document.contentHash, size: file.size, modified: file.modified,
                    pipelineFingerprint: context.fingerprint, status: .ok, outputPath: outputPath,
                    title: document.title,
                    gist: gist, chunks: chunks, levels: result.levels, calls: result.callsMade + result.callsReused,
                    promptTokens: result.promptTokens, completionTokens: result.completionTokens
                ), calls: calls)
        }
    }

    /// The report of a finished document.
    private func report(_ document: Document, grown: DocumentPath.Grown, spent: DocumentSpend.Tally, gist: String)
        -> RunReport.File
    {
        let (result, chunks, language) = (grown.result, grown.chunks, grown.language)
        var warnings = document.warnings
        if spent.truncatedCalls > 0 {
            warnings.append("\(spent.truncatedCalls) call(s) hit max_tokens; their summaries are cut short")
        }
        var report = RunReport.File(
            path: document.id, status: .ok, title: document.title, output: outputPath, encoding: document.encoding,
            warnings: warnings, chunks: chunks, levels: result.levels,
            callsMade: result.callsMade, callsReused: result.callsReused,
            promptTokens: result.promptTokens, completionTokens: result.completionTokens,
            cost: spent.cost, truncatedCalls: spent.truncatedCalls, tokensEstimated: spent.usageEstimated,
            retries: spent.retries,
            language: language.rawValue, gist: gist
        )
        (report.reasoningTokens, report.cachedTokens, report.cacheSaved) = (
            spent.reasoningTokens, spent.cachedTokens, RunReport.roundedCost(spent.cacheSaved)
        )
        report.batchCalls = spent.batchCalls
        report.requests = spent.requests
        return report
    }

    /// Runs a store write; one that fails stops the run, since every later answer would be lost too.
    private func keep(_ write: () async throws -> Void) async throws {
        do { try await write() } catch {
            context.gate.stopForStorage(error)
            throw error
        }
    }

    private func log(_ report: RunReport.File) {
        let seconds = String(format: "%.2f s", report.seconds)
        // The message reads as a line; the metadata carries the same facts for a log collector.
        let facts: Logger.Metadata = [
            "path": "\(report.path)", "stage": "file", "status": "\(report.status.rawValue)",
            "calls": "\(report.callsMade)", "reused": "\(report.callsReused)"
        ]
        let logger = context.logger
        switch report.status {
        case .ok:
            logger.info(
                "ok      \(report.path): \(report.chunks) chunks, \(report.levels) levels, \(report.callsMade) calls made, \(report.callsReused) reused, \(seconds)",
                metadata: facts)
            for warning in report.warnings { logger.warning("warning \(report.path): \(warning)", metadata: facts) }
        case .skipped:
            logger.info("same    \(report.path): unchanged, output kept", metadata: facts)
        case .failed:
            logger.error("failed  \(report.path): \(report.error ?? "unknown error")", metadata: facts)
        case .pending:
            logger.info("pending \(report.path): \(report.error ?? "not finished")", metadata: facts)
        }
    }

    /// Why a file failed, without its path: the report, the index and `status` name the file already.
    static func reason(_ error: any Error) -> String {
        if let error = error as? IngestError { return error.reason }
        return String(describing: error)
    }

    /// Why a document of a batch run is not done yet.
    static let waitingReason = "waiting for a batch: its next calls are submitted or in flight; run again later"

    private static func pendingReason(_ gate: RunGate) -> String {
        switch gate.reason {
        case .interrupted(let signal)?: "not finished: the run was interrupted by \(signal)"
        case .stopped(let why)?: "not finished: the run stopped: \(why)"
        case nil: "not finished"
        }
    }
}
