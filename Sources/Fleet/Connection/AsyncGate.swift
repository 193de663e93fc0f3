import Synchronization

/// A lock that suspends its waiters instead of blocking their threads.
///
/// A transaction's statements must reach the connection with nothing in between, across awaits;
/// an `NSLock` held across them would block a thread of the cooperative pool for every waiter.
/// Waiters go in arrival order.
final class AsyncGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Runs `body` while holding the gate.
    func holding<T: Sendable>(_ body: () async throws(FleetError) -> T) async throws(FleetError) -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.held {
                    state.waiters.append(waiter)
                    return false
                }
                state.held = true
                return true
            }
            if now { waiter.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
