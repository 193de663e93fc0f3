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
/// map level is done. A file that fails is recorded and reported; the batch goes on. One run holds
/// an output directory at a time, and a signal winds the run down without losing finished calls.
public struct BatchRun: Sendable {
    /// The pipeline with the command line's flags applied.
    public let settings: RunSettings
    public var logger: Logger
    /// Where signals reach the run.
    public var control: RunControl

    public init(options: RunOptions, config: PipelineConfig, logger: Logger = Logger(label: "precis"),
                control: RunControl = RunControl()) {
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
        var fleet: FleetWorker?
        if let options = options.fleet { fleet = try await FleetWorker.start(options, settings: settings) }
        let engine = try await Engine.make(settings, account: fleet?.account, kept: try keptFacts(fleet: fleet))
        if let server = engine.client?.configuration, server.sendsKeyInTheClear {
            logger.warning("allow_insecure_http: the API key goes over plain http:// to \(URL(string: server.baseURL)?.host ?? server.baseURL), readable by anyone on the network between")
        }
        let report: RunReport
        do {
            if let fleet {
                // The queue, not a lock, keeps the fleet's workers apart; the last one writes the report.
                var result = try await run(engine: engine, started: started, fleet: fleet)
                result.seconds = (clock.now - begin).seconds
                await fleet.queue.leave(filesDone: result.worker?.files ?? 0, callsMade: result.totals.callsMade)
                report = result
            } else {
                report = try await runLocked(engine: engine, started: started, clock: clock, begin: begin)
            }
        } catch {
            if let fleet { await fleet.queue.leave(filesDone: 0, callsMade: 0) }
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
        return report
    }

    /// One machine's run: holds the output folder's lock (a shard's own lock) while it works.
    private func runLocked(engine: Engine, started: Date, clock: ContinuousClock, begin: ContinuousClock.Instant) async throws(PipelineError) -> RunReport {
        let out = options.outputDirectory
        let lock = try await OutputLock.acquire(in: out, shard: options.shard, wait: options.waitForLock, control: control) { holder in
            logger.notice("waiting for \(holder.map { "precis \($0)" } ?? "another run") to finish with \(out.path)")
        }
        defer { lock.release() }
        if let stale = lock.staleHolder {
            logger.warning("taking over \(out.path) from a run that did not finish (\(stale)); its finished calls are kept")
        }
        var result = try await run(engine: engine, started: started, fleet: nil)
        result.seconds = (clock.now - begin).seconds
        // `--wait` in batch mode: poll, with backoff, until no document waits for a batch.
        var pause = config.batch.pollSeconds
        var polls = 0
        let reportURL = options.shard?.reportURL(in: out) ?? out.appendingPathComponent("report.json")
        while options.waitForLock, let batch = result.batch, batch.waiting > 0, result.stopped == nil, result.interrupted == nil {
            try await AtomicFile.write(result.json(), to: reportURL)
            logger.info("waiting \(String(format: "%g", pause)) s for \(batch.inFlight) batch(es) in flight")
            guard await pauseForBatches(seconds: pause) else { break }
            pause = min(pause * 2, config.batch.pollMaxSeconds)
            polls += 1
            result = Self.merge(result, then: try await run(engine: engine, started: started, fleet: nil))
            result.batch?.polls = polls
            result.seconds = (clock.now - begin).seconds
        }
        result.peakMemoryBytes = RunReport.peakMemory()
        try await AtomicFile.write(result.json(), to: reportURL)
        return result
    }

    private func run(engine: Engine, started: Date, fleet: FleetWorker?) async throws(PipelineError) -> RunReport {
        let out = options.outputDirectory
        let files = try settings.files()
        let store: any RunStore
        let previous: [String: FileState]
        do {
            if let fleet { store = fleet.store } else { store = try CheckpointStore(url: options.storeURL) }
            previous = Dictionary(try store.fileStates().map { ($0.path, $0) }, uniquingKeysWith: { $1 })
            if let learned = engine.learned { try store.save(learned) }
        } catch {
            throw PipelineError(.output, "cannot use the output directory \(out.path)", cause: error)
        }
        let present = Set(files.map(\.id))
        let gone = previous.values.filter { !present.contains($0.path) }.sorted { $0.path < $1.path }
        let pruned = options.prune ? try prune(gone, store: store) : []
        let kept = options.prune ? [] : gone.filter { $0.status == .ok && $0.outputPath != nil }

        let courier = (store as? CheckpointStore).flatMap { BatchCourier(engine: engine, store: $0, config: config, logger: logger) }
        var batchStep = BatchStep()
        if let courier, let ledger = engine.ledger {
            try await courier.prepare(ledger: ledger, step: &batchStep)
        }

        let extractor = try settings.extractionClient()
        defer { if let extractor { Task { await extractor.shutdown() } } }
        let remote = extractor.map { RemoteReader(client: $0, store: store) }
        let gate = RunGate()
        let path = DocumentPath(settings: settings, engine: engine, remote: remote)
        let context = FileJob.Context(store: store, pool: WorkPool(concurrency: engine.concurrency), path: path, gate: gate,
                                      logger: logger, previous: previous, inFlight: InFlightCalls(), progress: options.progress,
                                      claims: fleet?.calls)
        await options.progress?.begin(files: files.count, bytes: files.reduce(0) { $0 + $1.size }, currency: config.currency)
        let inputs = options.inputs.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var record: RunRecord
        do {
            record = try store.begin(RunRecord(startedAt: started, pipeline: config.name, pid: Int(getpid()), inputs: inputs,
                                                    currency: config.currency, walk: options.ingest.json))
        } catch {
            throw PipelineError(.output, "cannot record the run", cause: error)
        }
        logStart(files: files.count, engine: engine)
        let unread = try settings.officeFilesWithoutKey()
        if !unread.isEmpty {
            logger.warning("skipped \(unread.count) office, EPUB or HTML file(s) (\(unread.prefix(3).map(\.id).joined(separator: ", "))\(unread.count > 3 ? ", …" : "")): formats: kimi reads them through Kimi's file extraction, and MOONSHOT_API_KEY is not set")
        }
        if !kept.isEmpty {
            logger.info("kept \(kept.count) output(s) whose inputs are gone; --prune removes them")
        }
        if let shard = options.shard, options.corpusSummary {
            logger.notice("shard \(shard) holds part of the folder, so the folder summary waits for `precis merge --corpus-summary`")
        }

        let limiter = engine.limiter
        gate.whenStopped { why, kind in
            // Calls past the gate but waiting for the account's limits would be paid for and lost.
            if kind == .output, let limiter { Task { await limiter.stop(why) } }
        }
        let corpusWanted = options.corpusSummary
        let work = Task { () -> ([RunReport.File], RunReport.File?, FleetOutcome?) in
            if let fleet {
                let outcome = await processClaimed(files, context: context, fleet: fleet)
                let corpus = corpusWanted && outcome.last && gate.reason == nil ? await summarizeCorpus(outcome.all, context: context) : nil
                return (outcome.mine, corpus, outcome)
            }
            let reports = await process(files, context: context)
            let corpus = corpusWanted && gate.reason == nil && options.shard == nil ? await summarizeCorpus(reports, context: context) : nil
            return (reports, corpus, nil)
        }
        control.attach(onInterrupt: { signal in
            gate.interrupt(signal)
            if let limiter { Task { await limiter.stop("interrupted by \(signal)") } }
        }, onAbandon: { work.cancel() })
        let (reports, corpus, outcome) = await work.value
        control.detach()

        var report = RunReport(pipeline: config.name, model: config.modelName, currency: config.currency,
                               startedAt: started, seconds: 0, stopped: gate.stopReason, files: reports)
        report.stop = gate.stopKind
        // What the trees asked for before a spending cap or a refused key stopped them is still
        // submitted; after a signal, nothing more is sent.
        if let courier, let ledger = engine.ledger, gate.interruption == nil {
            try await courier.finish(ledger: ledger, reports: reports + [corpus].compactMap { $0 }, step: &batchStep)
            report.batch = batchStep
        }
        report.interrupted = gate.interruption
        report.abandonedCalls = gate.abandonedCalls
        report.inputsGone = kept.map(\.path)
        report.pruned = pruned
        if let corpus { report.add(corpus: corpus) }
        report.shard = options.shard?.description
        if let outcome {
            report.worker = WorkerStep(id: outcome.worker, round: outcome.round, files: reports.count, last: outcome.last)
            if outcome.last {
                // The last worker writes the folder's index and report, over every worker's files.
                var folder = RunReport(pipeline: config.name, model: config.modelName, currency: config.currency,
                                       startedAt: outcome.opened ?? started, seconds: Date().timeIntervalSince(outcome.opened ?? started), files: outcome.all)
                folder.inputsGone = kept.map(\.path)
                folder.pruned = pruned
                if let corpus { folder.add(corpus: corpus) }
                try await writeFolderPages(folder, kept: kept)
            }
        } else if options.shard == nil {
            try await writeFolderPages(report, kept: kept, reportJSON: false)
        }
        record.finish(with: report)
        try? store.finish(record)
        return report
    }

    private func logStart(files: Int, engine: Engine) {
        var limits = ""
        if let l = engine.limiter?.limits {
            limits = [l.rpm.map { "rpm \($0)" }, l.tpm.map { "tpm \($0)" }, l.tpd.map { "tpd \($0)" }].compactMap { $0 }.joined(separator: ", ")
            limits = limits.isEmpty ? "" : " (\(limits))"
        }
        let at = engine.endpoint.map { " at \($0)" } ?? ""
        let ratio = engine.tokenRatio.map { measured in
            let cjk = measured.cjkPerCharacter.map { String(format: ", %.2f per CJK character", $0) } ?? ""
            return ", token ratio \(String(format: "%.2f", measured.ratio))\(cjk) (\(measured.source))"
        } ?? ""
        logger.info("\(files) file(s), pipeline \(config.name), model \(config.modelName)\(at), \(engine.budget)-token chunks\(ratio), concurrency \(engine.concurrency)\(limits), output \(options.outputDirectory.path)")
    }

    /// Summarizes files with a bounded number open at once, keeping the reports in input order.
    ///
    /// The largest files open first: their trees are the deepest, and starting the longest chains
    /// early keeps the tail of the run short (longest-processing-time-first).
    private func process(_ files: [InputFile], context: FileJob.Context) async -> [RunReport.File] {
        let open = max(4, context.engine.concurrency * 4)
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
