import Checkpoint
import Fleet
import Foundation
import Ingest
import Logging

/// A fleet worker's round: what it did, and, for the last worker, what the whole fleet did.
struct FleetRound: Sendable {
    var worker: String
    var round: Int64
    /// When the round opened: the fleet's start.
    var opened: Date?
    /// Whether this worker closed the round, and so writes the folder's pages.
    var last: Bool
    /// Every finished file of the round, by path; filled for the last worker only.
    var all: [RunReport.File]
}

/// The files a fleet worker claims from the job's shared queue, until none is left.
///
/// When nothing is claimable but other workers hold files, the worker waits: if one of them dies,
/// its lease runs out and this worker takes its files over.
struct FleetClaims: WorkSource {
    /// A worker that died on the same file this many times has the file failed rather than claimed again.
    static let maxClaims = 3

    let worker: FleetWorker
    let logger: Logger

    func open() async throws(PipelineError) -> OpenedStore {
        OpenedStore(store: worker.store, folder: nil)
    }

    func summarize(_ files: [InputFile], context: FileJob.Context) async -> WorkDone {
        let queue = worker.queue
        var round = FleetRound(worker: worker.id, round: 0, last: false, all: [])
        do {
            round.round = try await queue.join()
            try await queue.enqueue(round: round.round, files: files.map { ($0.id, $0.size) })
        } catch {
            logger.error("cannot join the shared queue", metadata: ["error": "\(error)"])
            context.gate.stop("the shared queue is out of reach: \(error)")
            return WorkDone(files: [], round: round)
        }
        let beat = worker.heartbeat(logger: logger)
        let mine = await claim(files, round: round.round, context: context)
        beat.cancel()
        if context.gate.reason == nil { await close(&round) }
        return WorkDone(files: mine, round: round)
    }

    var claims: (any CallClaims)? { worker.calls }

    func leave(_ report: RunReport?) async {
        await worker.queue.leave(filesDone: report?.worker?.files ?? 0, callsMade: report?.totals.callsMade ?? 0)
    }

    /// Claims and summarizes files, keeping as many open as a lone run would.
    private func claim(_ files: [InputFile], round: Int64, context: FileJob.Context) async -> [RunReport.File] {
        let byID = Dictionary(files.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let open = max(4, context.engine.concurrency * 4)
        return await withTaskGroup(of: RunReport.File.self) { group in
            var mine: [RunReport.File] = []
            var running = 0
            var ordinal = 0
            var drained = false
            while true {
                claiming: while !drained, running < open, context.gate.reason == nil {
                    switch await next(round: round, gate: context.gate) {
                    case .none:
                        break claiming
                    case .file(let claim)?:
                        guard let file = usable(claim, byID: byID) else {
                            mine.append(await refuse(claim, byID: byID, round: round))
                            continue
                        }
                        running += 1
                        ordinal += 1
                        let job = FileJob(file: file, ordinal: ordinal, context: context)
                        group.addTask { await record(await job.run(), round: round) }
                    case .wait?:
                        if running > 0 { break claiming }
                        guard await pause(round: round) else { break claiming }
                    case .empty?:
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
    }

    /// The queue's next answer; nil, with the run stopped, when the queue cannot be reached.
    private func next(round: Int64, gate: RunGate) async -> WorkQueue.Next? {
        do { return try await worker.queue.next(round: round) } catch {
            logger.error("cannot claim from the shared queue", metadata: ["error": "\(error)"])
            gate.stop("the shared queue is out of reach: \(error)")
            return nil
        }
    }

    private func usable(_ claim: WorkQueue.Claim, byID: [String: InputFile]) -> InputFile? {
        claim.attempts <= Self.maxClaims ? byID[claim.path] : nil
    }

    /// Fails a claim this worker cannot take: not among its inputs, or one that stopped workers before.
    private func refuse(_ claim: WorkQueue.Claim, byID: [String: InputFile], round: Int64) async -> RunReport.File {
        let why =
            byID[claim.path] == nil
            ? "another worker listed it, and it is not among this worker's inputs; give every worker the same inputs"
            : "\(Self.maxClaims) workers stopped while summarizing it; it is left out so it cannot stop the fleet"
        logger.error("failed  \(claim.path): \(why)", metadata: ["path": "\(claim.path)"])
        return await record(RunReport.File(path: claim.path, status: .failed, error: why), round: round)
    }

    /// Waits for other workers' files to finish or to come free; false when the wait was cancelled.
    private func pause(round: Int64) async -> Bool {
        await worker.queue.release(round: round)
        do {
            try await Task.sleep(for: min(worker.queue.lease / 4, .seconds(2)))
            return true
        } catch {
            return false
        }
    }

    /// Hands a finished file to the queue; one cut short by a signal or a stop goes back for another worker.
    private func record(_ report: RunReport.File, round: Int64) async -> RunReport.File {
        let queue = worker.queue
        if report.status == .pending {
            await queue.release(round: round, path: report.path)
            return report
        }
        do {
            let data = try JSONEncoder().encode(report)
            try await queue.done(round: round, path: report.path, report: data, gist: report.gist)
        } catch {
            // Its outputs and calls are kept; back in the queue, a worker finds it done and skips it.
            logger.warning(
                "cannot mark \(report.path) done in the shared queue, so it goes back for another pass: \(error)",
                metadata: ["path": "\(report.path)"])
            await queue.release(round: round, path: report.path)
        }
        return report
    }

    /// Closes this worker's part of the round; the last worker reads every worker's reports.
    private func close(_ round: inout FleetRound) async {
        let queue = worker.queue
        do {
            round.last = try await queue.close(round: round.round)
        } catch {
            logger.error("cannot close the job's round in the shared store", metadata: ["error": "\(error)"])
            return
        }
        guard round.last else { return }
        do {
            round.all = try await Self.reports(of: round.round, queue: queue)
            round.opened = try await queue.opened(round: round.round)
        } catch {
            // Pages over part of the round would be wrong; merge reads the round again later.
            round.last = false
            logger.error(
                "closed the job's round, but cannot read its reports, so the folder's pages are not written; precis merge --store writes them",
                metadata: ["error": "\(error)"])
        }
    }

    /// Every finished file of a round, as the workers reported them.
    static func reports(of round: Int64, queue: WorkQueue) async throws(PipelineError) -> [RunReport.File] {
        let finished: [WorkQueue.Finished]
        do { finished = try await queue.finished(round: round) } catch {
            throw PipelineError(.output, "cannot read the shared store", cause: error)
        }
        var reports: [RunReport.File] = []
        for file in finished {
            do {
                var report = try JSONDecoder().decode(RunReport.File.self, from: file.report)
                report.gist = file.gist
                reports.append(report)
            } catch {
                throw PipelineError(.output, "the shared store's report of \(file.path) cannot be read", cause: error)
            }
        }
        return reports
    }
}
