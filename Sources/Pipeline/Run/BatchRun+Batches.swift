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
            try store.releaseStoredAnswers()
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
            step.inFlight = try store.openBatchJobs().filter(\.inFlight).count
        } catch {
            throw PipelineError(.stopped, "cannot submit the next batches; the calls stay wanted, rerun to try again", cause: error)
        }
        step.waiting = reports.filter { $0.status == .pending && $0.error == FileJob.waitingReason }.count
    }
}

extension BatchRun {
    /// One report for the steps of a `--wait` run: a file finished by an earlier step keeps that
    /// step's entry (the later one only found it unchanged), and the batch counts add up.
    static func merge(_ earlier: RunReport, then later: RunReport) -> RunReport {
        let done = Dictionary(earlier.files.filter { $0.status == .ok }.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        let files = later.files.map { file in file.status == .skipped ? done[file.path] ?? file : file }
        var merged = RunReport(pipeline: later.pipeline, model: later.model, currency: later.currency, startedAt: earlier.startedAt,
                               seconds: later.seconds, stopped: later.stopped, files: files)
        (merged.interrupted, merged.abandonedCalls, merged.inputsGone, merged.pruned) = (later.interrupted, later.abandonedCalls, later.inputsGone, earlier.pruned)
        if let corpus = later.corpus {
            merged.add(corpus: corpus.status == .skipped ? earlier.corpus ?? corpus : corpus)
        }
        if var batch = later.batch, let before = earlier.batch {
            batch.collected += before.collected
            batch.answered += before.answered
            batch.failed += before.failed
            batch.unfinished += before.unfinished
            batch.submitted += before.submitted
            batch.lines += before.lines
            merged.batch = batch
        } else {
            merged.batch = later.batch
        }
        return merged
    }

    /// Sleeps `seconds` between `--wait`'s polls; false when a signal came first.
    func pauseForBatches(seconds: Double) async -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < end {
            if control.signal != nil { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return control.signal == nil
    }
}
