import Checkpoint
import Chunking
import Foundation
import Ingest
import Logging
import Scheduling
import Summarization

/// One `precis run`: walks the inputs and summarizes every document through one shared pool.
///
/// Documents overlap: several are open at once, each starting its reduce levels as soon as its own
/// map level is done. A file that fails is recorded and reported; the batch goes on.
public struct BatchRun: Sendable {
    public var options: RunOptions
    public var config: PipelineConfig
    public var logger: Logger

    public init(options: RunOptions, config: PipelineConfig, logger: Logger = Logger(label: "precis")) {
        self.options = options
        self.config = config
        self.logger = logger
    }

    /// The concurrency in force: the flag, else the pipeline, else one per core offline and 4 for models.
    public var concurrency: Int {
        let fallback = config.backend == .extractive ? ProcessInfo.processInfo.activeProcessorCount : 4
        return options.concurrency ?? config.concurrency ?? fallback
    }

    /// Runs the batch and writes `index.md` and `report.json`.
    /// - Throws: ``PipelineError`` when the run cannot start (no API key, a missing input, an unusable
    ///   output directory); nothing has been read or written then.
    public func run() async throws(PipelineError) -> RunReport {
        let started = Date()
        let clock = ContinuousClock()
        let begin = clock.now
        let out = options.outputDirectory
        // The backend first: a missing key or an unknown model fails before any file is touched.
        let backend = try await Backend.make(config, options: options, concurrency: concurrency)
        let report: RunReport
        do {
            report = try await run(backend: backend, started: started)
        } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
        var timed = report
        timed.seconds = (clock.now - begin).seconds
        try await AtomicFile.write(timed.json(), to: out.appendingPathComponent("report.json"))
        return timed
    }

    private func run(backend: Backend, started: Date) async throws(PipelineError) -> RunReport {
        let out = options.outputDirectory
        let files: [InputFile]
        do {
            files = try InputWalker(excluding: [out]).files(in: options.inputs)
        } catch {
            throw PipelineError(.usage, error.description)
        }
        let store: CheckpointStore
        do { store = try CheckpointStore(url: options.storeURL) } catch {
            throw PipelineError(.output, "cannot use the output directory \(out.path)", cause: error)
        }
        let gate = RunGate()
        let context = FileJob.Context(
            store: store, pool: WorkPool(concurrency: backend.concurrency), backend: backend,
            fingerprint: config.fingerprint(summarizer: backend.summarizer, budget: backend.budget), config: config,
            outputDirectory: out, gate: gate, logger: logger
        )
        var record: RunRecord
        do { record = try store.begin(RunRecord(startedAt: started, pipeline: config.name)) } catch {
            throw PipelineError(.output, "cannot record the run", cause: error)
        }
        let model = config.backend == .extractive ? "extractive" : config.llm.model
        var limits = ""
        if let l = backend.limiter?.limits {
            limits = [l.rpm.map { "rpm \($0)" }, l.tpm.map { "tpm \($0)" }, l.tpd.map { "tpd \($0)" }].compactMap { $0 }.joined(separator: ", ")
            limits = limits.isEmpty ? "" : " (\(limits))"
        }
        logger.info("\(files.count) file(s), pipeline \(config.name), model \(model)\(backend.endpoint.map { " at \($0)" } ?? ""), \(backend.budget)-token chunks, concurrency \(backend.concurrency)\(limits), output \(out.path)")

        let reports = await process(files, context: context)
        let report = RunReport(pipeline: config.name, model: model, currency: config.currency, startedAt: started,
                               seconds: 0, stopped: gate.stopReason, files: reports)
        try await AtomicFile.write(Data(OutputPages.index(reports).utf8), to: out.appendingPathComponent("index.md"))
        record.endedAt = Date()
        record.exitCode = report.stopped != nil ? 4 : report.totals.failed > 0 ? 1 : 0
        record.filesOK = report.totals.ok
        record.filesFailed = report.totals.failed
        record.filesSkipped = report.totals.skipped
        record.callsMade = report.totals.callsMade
        record.callsReused = report.totals.callsReused
        try? store.finish(record)
        return report
    }

    /// Summarizes files with a bounded number open at once, keeping the reports in input order.
    ///
    /// The largest files open first: their trees are the deepest, and starting the longest chains
    /// early keeps the tail of the run short (longest-processing-time-first).
    private func process(_ files: [InputFile], context: FileJob.Context) async -> [RunReport.File] {
        let open = max(4, context.backend.concurrency * 4)
        let order = files.indices.sorted { files[$0].size != files[$1].size ? files[$0].size > files[$1].size : $0 < $1 }
        return await withTaskGroup(of: (Int, RunReport.File).self) { group in
            var reports = [RunReport.File?](repeating: nil, count: files.count)
            var next = 0
            func start() {
                let index = order[next]
                let job = FileJob(file: files[index], ordinal: next, context: context)
                group.addTask { (index, await job.run()) }
                next += 1
            }
            while next < min(open, files.count) { start() }
            for await (index, report) in group {
                reports[index] = report
                if next < files.count { start() }
            }
            return reports.compactMap { $0 }
        }
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
