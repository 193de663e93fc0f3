import Synchronization

/// Closes a whole run to new calls: when one call shows that no later call can succeed (the key was
/// refused, the balance is gone), so the run fails once instead of once per call, or when a signal
/// asks the run to wind down.
final class RunGate: Sendable {
    /// Why the gate closed.
    enum Reason: Sendable, Equatable {
        /// No later call can succeed; the run exits 4.
        case stopped(String)
        /// SIGINT or SIGTERM; the run exits 128 + the signal's number.
        case interrupted(Signal)
    }

    private struct State {
        var reason: Reason?
        var kind: StopKind?
        var abandoned = 0
        var onStop: (@Sendable (String, StopKind) -> Void)?
    }

    private let state = Mutex(State())

    /// Why the run closed, once it has.
    var reason: Reason? { state.withLock { $0.reason } }

    /// The stop reason, when a call stopped the run (not a signal).
    var stopReason: String? {
        if case .stopped(let why)? = reason { return why }
        return nil
    }

    /// The signal that interrupted the run, if one did.
    var interruption: Signal? {
        if case .interrupted(let signal)? = reason { return signal }
        return nil
    }

    /// What stopped the run, when a call did.
    var stopKind: StopKind? { state.withLock { $0.kind } }

    /// Calls cut off in flight when the run was abandoned.
    var abandonedCalls: Int { state.withLock { $0.abandoned } }

    /// Closes the gate; the first reason is kept, except that a model the platform refuses names
    /// the stop over the account's words that other calls may have reported first.
    func stop(_ why: String, kind: StopKind = .account) {
        let first = state.withLock { s -> (@Sendable (String, StopKind) -> Void)? in
            let closing = s.reason == nil
            if closing || (kind == .model && s.kind != .model && s.reason?.signal == nil) {
                s.reason = .stopped(why)
                s.kind = kind
            }
            return closing ? s.onStop : nil
        }
        first?(why, kind)
    }

    /// Runs `body` once, when a call first stops the run: with what stopped it, and why.
    func whenStopped(_ body: @escaping @Sendable (String, StopKind) -> Void) {
        state.withLock { $0.onStop = body }
    }

    /// Stops the run because the output folder cannot keep what it is given: every later answer
    /// would be paid for and lost. The run exits 3.
    func stopForStorage(_ error: any Error) {
        stop(StorageFault.advice(error), kind: .output)
    }

    /// Closes the gate for a signal; the first reason is kept.
    func interrupt(_ signal: Signal) {
        state.withLock { if $0.reason == nil { $0.reason = .interrupted(signal) } }
    }

    func noteAbandoned() {
        state.withLock { $0.abandoned += 1 }
    }

    /// Throws the reason if the gate is closed.
    func check() throws(PipelineError) {
        switch reason {
        case nil: return
        case .stopped(let why)?: throw PipelineError(.stopped, "not summarized: the run stopped: \(why)")
        case .interrupted(let signal)?:
            throw PipelineError(signal.errorCode, "not summarized: the run was interrupted by \(signal)")
        }
    }
}

extension RunGate.Reason {
    var signal: Signal? {
        if case .interrupted(let signal) = self { return signal }
        return nil
    }
}

/// What stopped a run early: the account (a refused key, an empty balance, a limit or a spending
/// cap; exit 4), a model the platform does not serve (exit 2: the pipeline must change), or an
/// output folder that cannot be written (no space, read-only, an I/O error; exit 3).
public enum StopKind: String, Sendable, Codable {
    case account, model, output
}
