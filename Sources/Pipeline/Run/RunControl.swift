import Synchronization

/// The handle a signal handler uses to wind a run down: the first signal stops new calls and lets
/// those in flight finish within the grace period; a second signal, or the end of the grace
/// period, abandons them.
///
/// Abandoning costs at most the calls in flight: every finished call is already in the store.
public final class RunControl: Sendable {
    /// What an ``interrupt(_:)`` did.
    public enum Phase: Sendable, Equatable {
        /// New calls stopped; those in flight get the grace period.
        case draining
        /// Calls in flight are being cancelled.
        case abandoning
    }

    /// How long calls in flight may take to finish after the first signal.
    public let grace: Duration

    private struct State {
        var signal: Signal?
        var abandoned = false
        var onInterrupt: (@Sendable (Signal) -> Void)?
        var onAbandon: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    public init(grace: Duration = .seconds(30)) {
        self.grace = grace
    }

    /// The first signal received, if any.
    public var signal: Signal? { state.withLock { $0.signal } }

    /// Handles a signal; safe to call from any thread.
    @discardableResult
    public func interrupt(_ signal: Signal) -> Phase {
        let first = state.withLock { s -> (@Sendable (Signal) -> Void)?? in
            guard s.signal == nil else { return nil }
            s.signal = signal
            return .some(s.onInterrupt)
        }
        guard let first else {
            abandon()
            return .abandoning
        }
        first?(signal)
        let grace = self.grace
        Task { [weak self] in
            do { try await Task.sleep(for: grace) } catch { return }
            self?.abandon()
        }
        return .draining
    }

    /// Cancels the calls in flight.
    func abandon() {
        let action = state.withLock { s -> (@Sendable () -> Void)? in
            guard !s.abandoned else { return nil }
            s.abandoned = true
            return s.onAbandon
        }
        action?()
    }

    /// Connects a run; what already happened applies at once.
    func attach(onInterrupt: @escaping @Sendable (Signal) -> Void, onAbandon: @escaping @Sendable () -> Void) {
        let (signal, abandoned) = state.withLock { s -> (Signal?, Bool) in
            s.onInterrupt = onInterrupt
            s.onAbandon = onAbandon
            return (s.signal, s.abandoned)
        }
        if let signal { onInterrupt(signal) }
        if abandoned { onAbandon() }
    }

    /// Disconnects the run, so that late signals touch nothing it has let go of.
    func detach() {
        state.withLock {
            $0.onInterrupt = nil
            $0.onAbandon = nil
        }
    }
}
