import Synchronization

/// Stops a whole run when one call shows that no later call can succeed (the key was refused,
/// the balance is gone), so the run fails once instead of once per call.
final class RunGate: Sendable {
    private let reason = Mutex<String?>(nil)

    /// Why the run stopped, once it has.
    var stopReason: String? { reason.withLock { $0 } }

    /// Closes the gate; the first reason is kept.
    func stop(_ why: String) {
        reason.withLock { if $0 == nil { $0 = why } }
    }

    /// Throws the stop reason if the gate is closed.
    func check() throws(PipelineError) {
        if let why = stopReason { throw PipelineError(.stopped, "not summarized: the run stopped: \(why)") }
    }
}

/// What one document's calls cost, made calls only.
final class DocumentSpend: Sendable {
    struct Tally: Sendable {
        var cost = 0.0
        var truncatedCalls = 0
        var usageEstimated = false
        var retries = 0
    }

    private let tally = Mutex(Tally())

    var value: Tally { tally.withLock { $0 } }

    func addRetry() {
        tally.withLock { $0.retries += 1 }
    }

    func add(cost: Double, truncated: Bool, estimated: Bool) {
        tally.withLock {
            $0.cost += cost
            if truncated { $0.truncatedCalls += 1 }
            if estimated { $0.usageEstimated = true }
        }
    }
}
