import Checkpoint
import Fleet
import Foundation
import Ingest
import Logging

/// What a worker of a fleet did, and, for the last worker, what the whole fleet did.
struct FleetOutcome: Sendable {
    var worker: String
    var round: Int64
    /// When the round opened: the fleet's start.
    var opened: Date?
    /// The reports of the files this worker finished.
    var mine: [RunReport.File]
    /// Whether this worker closed the round, and so writes the folder's pages.
    var last: Bool
    /// Every finished file of the round, by path; filled for the last worker only.
    var all: [RunReport.File]
}

extension BatchRun {
    /// A worker that died on the same file this many times has the file failed rather than claimed again.
    static let maxClaims = 3

    /// Claims files from the job's shared queue until none is left, keeping as many open as a lone run would.
    ///
    /// When nothing is claimable but other workers hold files, the worker waits: if one of them dies,
    /// its lease runs out and this worker takes its files over.
    func processClaimed(_ files: [InputFile], context: FileJob.Context, fleet: FleetWorker) async -> FleetOutcome {
        let queue = fleet.queue
        var outcome = FleetOutcome(worker: fleet.id, round: 0, mine: [], last: false, all: [])
        do {
            outcome.round = try await queue.join()
            try await queue.enqueue(round: outcome.round, files: files.map { ($0.id, $0.size) })
        } catch {
            logger.error("cannot join the shared queue: \(error)")
            context.gate.stop("the shared queue is out of reach: \(error)")
            return outcome
        }
        let round = outcome.round
        let beat = fleet.heartbeat(logger: logger)
        defer { beat.cancel() }
        let byID = Dictionary(files.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let open = max(4, context.engine.concurrency * 4)
        let pollEvery = min(queue.lease / 4, .seconds(2))
        let logger = self.logger
        outcome.mine = await withTaskGroup(of: RunReport.File.self) { group in
            var mine: [RunReport.File] = []
            var running = 0, ordinal = 0
            var drained = false
            while true {
                claiming: while !drained, running < open, context.gate.reason == nil {
                    let next: WorkQueue.Next
                    do { next = try await queue.next(round: round) } catch {
                        logger.error("cannot claim from the shared queue: \(error)")
                        context.gate.stop("the shared queue is out of reach: \(error)")
                        break claiming
                    }
                    switch next {
                    case .file(let claim):
                        guard let file = byID[claim.path], claim.attempts <= Self.maxClaims else {
                            let why = byID[claim.path] == nil
                                ? "another worker listed it, and it is not among this worker's inputs; give every worker the same inputs"
                                : "\(Self.maxClaims) workers stopped while summarizing it; it is left out so it cannot stop the fleet"
                            let report = RunReport.File(path: claim.path, status: .failed, error: why)
                            logger.error("failed  \(claim.path): \(why)")
                            await Self.record(report, round: round, queue: queue, logger: logger)
                            mine.append(report)
                            continue
                        }
                        running += 1
                        ordinal += 1
                        let job = FileJob(file: file, ordinal: ordinal, context: context)
                        group.addTask {
                            let report = await job.run()
                            await Self.record(report, round: round, queue: queue, logger: logger)
                            return report
                        }
                    case .wait:
                        if running > 0 { break claiming }
                        await queue.release(round: round)
                        do { try await Task.sleep(for: pollEvery) } catch { break claiming }
                    case .empty:
                        drained = true
                    }
                }
                if running == 0 && (drained || context.gate.reason != nil) { break }
                if running == 0 { continue }
                if let report = await group.next() {
                    running -= 1
                    mine.append(report)
                }
            }
            return mine
        }
        guard context.gate.reason == nil else { return outcome }
        do {
            outcome.last = try await queue.close(round: round)
            if outcome.last {
                outcome.all = try await Self.reports(of: round, queue: queue)
                outcome.opened = try await queue.opened(round: round)
            }
        } catch {
            logger.error("cannot close the job's round in the shared store: \(error)")
        }
        return outcome
    }

    /// Hands a finished file to the queue; one cut short by a signal or a stop goes back for another worker.
    private static func record(_ report: RunReport.File, round: Int64, queue: WorkQueue, logger: Logger) async {
        if report.status == .pending {
            await queue.release(round: round, path: report.path)
            return
        }
        let data = (try? JSONEncoder().encode(report)) ?? Data("{}".utf8)
        do {
            try await queue.done(round: round, path: report.path, report: data, gist: report.gist)
        } catch {
            // Its outputs and calls are kept; back in the queue, a worker finds it done and skips it.
            logger.warning("cannot mark \(report.path) done in the shared queue, so it goes back for another pass: \(error)")
            await queue.release(round: round, path: report.path)
        }
    }

    /// Every finished file of a round, as the workers reported them.
    static func reports(of round: Int64, queue: WorkQueue) async throws(FleetError) -> [RunReport.File] {
        try await queue.finished(round: round).compactMap { finished in
            guard var report = try? JSONDecoder().decode(RunReport.File.self, from: finished.report) else { return nil }
            report.gist = finished.gist
            return report
        }
    }

    /// Writes `index.md`, and `report.json` unless the caller writes it itself.
    func writeFolderPages(_ report: RunReport, kept: [FileState], reportJSON: Bool = true) async throws(PipelineError) {
        let out = options.outputDirectory
        let link = report.corpus.flatMap { $0.status == .ok ? (path: Self.corpusPage, gist: $0.gist ?? "") : nil }
        try await AtomicFile.write(Data(OutputPages.index(report.files, kept: kept, corpus: link).utf8), to: out.appendingPathComponent("index.md"))
        if reportJSON { try await AtomicFile.write(report.json(), to: out.appendingPathComponent("report.json")) }
    }
}
