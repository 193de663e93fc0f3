import Checkpoint
import Foundation
import Ingest
import Logging
import Scheduling

/// One `precis run`: walks the inputs and summarizes every document through one shared pool.
///
/// Documents overlap: several are open at once, each starting its reduce levels as soon as its own
/// map level is done. A file that fails is recorded and reported; the batch goes on. A signal winds
/// the run down without losing finished calls. What differs between a lone run, a shard and a
/// fleet's worker is two strategies, chosen once in ``strategies()``: where the work comes from
/// (``WorkSource``) and how the folder is finished (``FolderFinish``).
public struct FolderRun: Sendable {
    /// The pipeline with the command line's flags applied.
    public let settings: RunSettings
    public var logger: Logger
    /// Where signals reach the run.
    public var control: RunControl

    public init(
        options: RunOptions, config: PipelineConfig, logger: Logger = Logger(label: "precis"),
        control: RunControl = RunControl()
    ) {
        self.settings = RunSettings(options: options, config: config)
        self.logger = logger
        self.control = control
    }

    var options: RunOptions { settings.options }
    var config: PipelineConfig { settings.config }

    /// Runs the batch and writes `index.md` and `report.json`.
    /// - Throws: ``PipelineError`` when the run cannot start (no API key, a missing input, an unusable
    ///   or busy output directory); nothing has been read or written then.
    public func run() async throws(PipelineError) -> RunReport {
        let started = Date()
        let clock = ContinuousClock()
        let begin = clock.now
        // Whose folder this is, the shared store and the engine first: somebody else's folder, a
        // missing key, an unknown model or an unreachable database fails before any file is touched.
        try OutputFolder.check(options.outputDirectory, force: options.force)
        let (source, finish, fleet) = try await strategies()
        let engine: Engine
        do {
            engine = try await Engine.make(settings, account: fleet?.account, kept: try await keptFacts(fleet: fleet))
        } catch {
            await source.leave(nil)
            throw error
        }
        warnIfInsecure(engine)
        do {
            let report = try await finish.hold(self) { () async throws(PipelineError) in
                var report = try await step(engine: engine, started: started, source: source, finish: finish)
                report.seconds = (clock.now - begin).seconds
                return report
            }
            await source.leave(report)
            await engine.shutdown()
            return report
        } catch {
            await source.leave(nil)
            await engine.shutdown()
            throw error
        }
    }

    /// The run's two strategies: the one place that asks which kind of run this is.
    private func strategies() async throws(PipelineError) -> (any WorkSource, any FolderFinish, FleetWorker?) {
        if let fleetOptions = options.fleet {
            let worker = try await FleetWorker.start(fleetOptions, settings: settings)
            return (FleetClaims(worker: worker, logger: logger), LastWorker(), worker)
        }
        if let shard = options.shard {
            return (LocalFiles(options: options), ShardOfFolder(shard: shard), nil)
        }
        return (LocalFiles(options: options), WholeFolder(), nil)
    }

    /// One pass over the inputs: summarizes what is not done yet and writes the pages this run writes.
    private func step(
        engine: Engine, started: Date, source: any WorkSource,
        finish: any FolderFinish
    ) async throws(PipelineError) -> RunReport {
        let files = try settings.files()
        let store = try await source.open()
        let start = try await open(store.store, files: files, engine: engine)
        let courier = store.folder.flatMap { BatchCourier(engine: engine, store: $0, config: config, logger: logger) }
        var batchStep = BatchStep()
        if let courier, let ledger = engine.ledger { try await courier.prepare(ledger: ledger, step: &batchStep) }
        await options.progress?.begin(
            files: files.count, bytes: files.reduce(0) { $0 + $1.size }, currency: config.currency)
        var record = try await record(started: started, in: store.store)
        try logStart(files: files.count, engine: engine, kept: start.kept)
        // Nothing between the client's making and its shutdown throws: a client must be shut down.
        let extractor = try settings.extractionClient()
        let context = FileJob.Context(
            store: store.store, pool: WorkPool(concurrency: engine.concurrency),
            path: DocumentPath(
                settings: settings, engine: engine,
                remote: extractor.map { RemoteReader(client: $0, store: store.store) }),
            gate: RunGate(), logger: logger, previous: start.previous, inFlight: InFlightCalls(),
            progress: options.progress,
            claims: source.claims)
        let (done, corpus) = await work(files, context: context, source: source, finish: finish)
        await extractor?.shutdown()
        var report = report(of: done, corpus: corpus, gate: context.gate, start: start, started: started)
        // What the trees asked for before a spending cap or a refused key stopped them is still
        // submitted; after a signal, nothing more is sent.
        if let courier, let ledger = engine.ledger, context.gate.interruption == nil {
            try await courier.finish(ledger: ledger, reports: done.files + [corpus].compactMap { $0 }, step: &batchStep)
            report.batch = batchStep
        }
        try await finish.finish(report, done: done, kept: start.kept, run: self)
        record.finish(with: report)
        do { try await store.store.finish(record) } catch {
            // The pages and calls are kept, and the report still says how the run went; only this
            // run's line in `precis status` is lost. The exit code says the store failed.
            logger.error("the store cannot be written, so the end of the run is not recorded in it: \(error)")
            if report.stop == nil {
                report.stop = .output
                report.stopped = report.stopped ?? "the store cannot be written: \(error)"
            }
        }
        return report
    }

    /// Summarizes the files, and the folder when this run makes its summary, with signals attached.
    private func work(
        _ files: [InputFile], context: FileJob.Context, source: any WorkSource,
        finish: any FolderFinish
    ) async -> (WorkDone, RunReport.File?) {
        let gate = context.gate
        let limiter = context.engine.limiter
        gate.whenStopped { why, kind in
            // Calls past the gate but waiting for the account's limits would be paid for and lost.
            if kind == .output, let limiter { Task { await limiter.stop(why) } }
        }
        let work = Task { () -> (WorkDone, RunReport.File?) in
            let done = await source.summarize(files, context: context)
            guard finish.summarizesFolder(done, run: self), gate.reason == nil else { return (done, nil) }
            return (done, await summarizeCorpus(done.folderFiles, context: context))
        }
        control.attach(
            onInterrupt: { signal in
                gate.interrupt(signal)
                if let limiter { Task { await limiter.stop("interrupted by \(signal)") } }
            }, onAbandon: { work.cancel() })
        let value = await work.value
        control.detach()
        return value
    }

    /// The step's report, before its batches and its pages.
    private func report(of done: WorkDone, corpus: RunReport.File?, gate: RunGate, start: Start, started: Date)
        -> RunReport
    {
        var report = RunReport(
            pipeline: config.name, model: config.modelName, currency: config.currency,
            startedAt: started, seconds: 0, stopped: gate.stopReason, files: done.files)
        report.stop = gate.stopKind
        report.interrupted = gate.interruption
        report.abandonedCalls = gate.abandonedCalls
        report.inputsGone = start.kept.map(\.path)
        report.pruned = start.pruned
        if let corpus { report.add(corpus: corpus) }
        report.shard = options.shard?.description
        if let round = done.round {
            report.worker = WorkerStep(id: round.worker, round: round.round, files: done.files.count, last: round.last)
        }
        return report
    }

    /// Holds the folder's lock (a shard's own) through the steps, then writes the report to `reportURL`.
    func holdingLock(reportURL: URL, steps: @Sendable () async throws(PipelineError) -> RunReport)
        async throws(PipelineError) -> RunReport
    {
        let out = options.outputDirectory
        let lock = try await OutputLock.acquire(
            in: out, shard: options.shard, wait: options.waitForLock, control: control
        ) { holder in
            logger.notice("waiting for \(holder.map { "precis \($0)" } ?? "another run") to finish with \(out.path)")
        }
        defer { lock.release() }
        if let stale = lock.staleHolder {
            logger.warning(
                "taking over \(out.path) from a run that did not finish (\(stale)); its finished calls are kept")
        }
        var report = try await steps()
        if options.waitForLock {
            report = try await BatchCourier.untilAnswered(
                report, settings: config.batch, control: control, logger: logger,
                reportURL: reportURL, steps: steps)
        }
        report.peakMemoryBytes = RunReport.peakMemory()
        try await AtomicFile.write(try report.json(), to: reportURL)
        return report
    }

    /// Writes `index.md`, and `report.json` unless the caller writes it itself.
    func writeFolderPages(_ report: RunReport, kept: [FileState], reportJSON: Bool = true) async throws(PipelineError) {
        let out = options.outputDirectory
        let link = report.corpus.flatMap {
            $0.status == .ok ? (path: OutputLayout.corpusPage, gist: $0.gist ?? "") : nil
        }
        let index = OutputPages.index(report.files, kept: kept, corpus: link)
        try await AtomicFile.write(Data(index.utf8), to: out.appendingPathComponent(OutputLayout.index))
        if reportJSON {
            try await AtomicFile.write(try report.json(), to: out.appendingPathComponent(OutputLayout.report))
        }
    }
}

extension RunRecord {
    /// Fills in how the run ended from its report.
    mutating func finish(with report: RunReport) {
        endedAt = Date()
        exitCode = Int(report.exitStatus.rawValue)
        outcome = report.outcome
        filesOK = report.totals.ok
        filesFailed = report.totals.failed
        filesSkipped = report.totals.skipped
        filesPending = report.totals.pending
        callsMade = report.totals.callsMade
        callsReused = report.totals.callsReused
        promptTokens = report.totals.promptTokens
        completionTokens = report.totals.completionTokens
        cost = report.totals.cost
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
