import Checkpoint
import Foundation
import Logging

extension BatchCourier {
    /// The courier of a `mode: batch` run, on the engine's client; nil online.
    init?(engine: Engine, store: CheckpointStore, config: PipelineConfig, logger: Logger) {
        guard engine.ledger != nil, let client = engine.client else { return nil }
        self.init(client: client, store: store, settings: config.batch, retries: config.retries, logger: logger)
    }

    /// The start of a batch run's step: finish what a killed run left, collect the batches that
    /// ended, and load what the store now knows into the ledger the trees consult.
    func prepare(ledger: BatchLedger, step: inout BatchStep) async throws(PipelineError) {
        do {
            try await recover()
            try await collect(into: &step)
            try await store.releaseStoredAnswers()
            try await ledger.load(store)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(.stopped, "cannot collect the batches in flight; rerun to try again", cause: error)
        }
        FailPoint.hit("step.after-collect")
    }

    /// The end of a batch run's step: submit the calls the trees asked for, and count what waits.
    func finish(ledger: BatchLedger, reports: [RunReport.File], step: inout BatchStep) async throws(PipelineError) {
        do {
            try await submit(await ledger.wantedCalls(), into: &step)
            step.inFlight = try await store.openBatchJobs().filter(\.inFlight).count
        } catch {
            throw PipelineError(
                .stopped, "cannot submit the next batches; the calls stay wanted, rerun to try again", cause: error)
        }
        step.waiting = reports.filter(\.waitsForBatch).count
    }
}

extension BatchCourier {
    /// `--wait` in batch mode: runs `steps` again, polling with backoff, until no document waits for
    /// a batch, and returns one report for all the steps.
    static func untilAnswered(
        _ first: RunReport, settings: PipelineConfig.Batch, control: RunControl, logger: Logger, reportURL: URL,
        steps: @Sendable () async throws(PipelineError) -> RunReport
    ) async throws(PipelineError) -> RunReport {
        var report = first
        var pause = settings.pollSeconds
        var polls = 0
        while let batch = report.batch, batch.waiting > 0, report.stopped == nil, report.interrupted == nil {
            // The report so far is on disk while the run waits, for `precis status` and for a kill.
            try await AtomicFile.write(try report.json(), to: reportURL)
            logger.info(
                "waiting \(String(format: "%g", pause)) s for \(batch.inFlight) batch(es) in flight",
                metadata: ["stage": "batch", "in_flight": "\(batch.inFlight)"])
            guard await pauseForBatches(seconds: pause, control: control) else { break }
            pause = min(pause * 2, settings.pollMaxSeconds)
            polls += 1
            report = joined(report, then: try await steps())
            report.batch?.polls = polls
        }
        return report
    }

    /// One report for the steps of a `--wait` run: a file finished by an earlier step keeps that
    /// step's entry (the later one only found it unchanged), and the batch counts add up.
    static func joined(_ earlier: RunReport, then later: RunReport) -> RunReport {
        let done = Dictionary(earlier.files.filter { $0.status == .ok }.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        let files = later.files.map { file in file.status == .skipped ? done[file.path] ?? file : file }
        var merged = RunReport(
            pipeline: later.pipeline, model: later.model, currency: later.currency, startedAt: earlier.startedAt,
            seconds: later.seconds, stopped: later.stopped, files: files)
        (merged.interrupted, merged.abandonedCalls, merged.inputsGone, merged.pruned) = (
            later.interrupted, later.abandonedCalls, later.inputsGone, earlier.pruned
        )
        if let corpus = later.corpus {
            merged.add(corpus: corpus.status == .skipped ? earlier.corpus ?? corpus : corpus)
        }
        merged.batch = later.batch.map { $0.adding(earlier.batch) }
        return merged
    }

    /// Sleeps `seconds` between `--wait`'s polls; false when a signal came first.
    private static func pauseForBatches(seconds: Double, control: RunControl) async -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < end, control.signal == nil {
            do { try await Task.sleep(for: .milliseconds(100)) } catch { return false }
        }
        return control.signal == nil
    }
}

extension BatchStep {
    /// This step's counts with an earlier step's collected and submitted work added.
    func adding(_ earlier: BatchStep?) -> BatchStep {
        guard let earlier else { return self }
        var sum = self
        sum.collected += earlier.collected
        sum.answered += earlier.answered
        sum.failed += earlier.failed
        sum.unfinished += earlier.unfinished
        sum.submitted += earlier.submitted
        sum.lines += earlier.lines
        return sum
    }
}
