import ChatAPI
import Checkpoint
import Foundation

extension OutputStatus {
    /// A remote batch of the folder that has not ended, as last polled.
    public struct BatchInFlight: Sendable, Codable, Hashable {
        /// precis's name for it, and the platform's id once it has one.
        public var name: String
        public var id: String?
        /// The platform's status when last polled, or precis's step when it has none yet.
        public var status: String
        public var model: String
        public var lines: Int
        public var completed: Int
        public var failed: Int
        /// Seconds since it was submitted, and left of its completion window.
        public var ageSeconds: Double
        public var windowLeftSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case name, id, status, model, lines, completed, failed
            case ageSeconds = "age_seconds"
            case windowLeftSeconds = "window_left_seconds"
        }
    }

    /// The folder's batches in flight, and the documents waiting on them.
    static func batches(in store: CheckpointStore, now: Date = Date()) async throws(CheckpointError) -> (
        batches: [BatchInFlight], waiting: Set<String>
    ) {
        let open = try await store.openBatchJobs().filter(\.inFlight)
        var waiting: Set<String> = []
        for job in open {
            for line in try await store.batchLines(job: job.name) where line.state == .queued {
                waiting.insert(line.document)
            }
        }
        let batches = open.map { job in
            let start = job.submittedAt ?? job.createdAt
            let left = Batch.hours(job.window).map {
                start.addingTimeInterval(Double($0) * 3600).timeIntervalSince(now)
            }
            return BatchInFlight(
                name: job.name, id: job.batchID, status: job.remoteStatus ?? job.state.rawValue, model: job.model,
                lines: job.lines, completed: job.completed, failed: job.failed,
                ageSeconds: now.timeIntervalSince(start), windowLeftSeconds: left.map { max(0, $0) })
        }
        return (batches, waiting)
    }

    /// What the next run of a batch folder will do, in a sentence.
    var batchPlan: String? {
        // A batch folder: batches in flight, or a last run that exited 5 ("submitted, come back later").
        guard !batches.isEmpty || lastRun?.exitCode == Int(ExitStatus.submitted.rawValue) else { return nil }
        var steps: [String] = []
        if !batches.isEmpty { steps.append("poll \(batches.count) batch(es) and collect those that ended") }
        steps.append("write the documents whose trees are complete")
        if files.pending > 0 { steps.append("submit the next level of \(files.pending) waiting or new document(s)") }
        return steps.joined(separator: ", then ")
    }

    /// The batch lines of the text status.
    var batchLines: [String] {
        var lines: [String] = []
        for batch in batches {
            let left = batch.windowLeftSeconds.map { ", \(RunEstimate.duration($0)) of its window left" } ?? ""
            lines.append(
                "  batch     \(batch.id ?? batch.name) \(batch.status), \(RunEstimate.duration(batch.ageSeconds)) old: "
                    + "\(batch.completed)/\(batch.lines) done, \(batch.failed) failed\(left)")
        }
        if let plan = batchPlan { lines.append("  next run  " + plan) }
        return lines
    }
}
