/// One bounded pool that every document's calls go through.
///
/// At most `concurrency` operations run at once; the rest wait and are admitted by
/// ``CallPriority``, first come first served among equals. A cancelled waiter leaves the queue
/// at once with `CancellationError`.
public actor WorkPool {
    /// The most operations running at once.
    public let concurrency: Int
    private var running = 0
    private var sequence = 0
    private var waiters: [Waiter] = []
    /// The most operations seen running at once, for reports and tests.
    public private(set) var peakRunning = 0
    /// Calls queued for a slot now.
    public var waiting: Int { waiters.count }

    private struct Waiter {
        var priority: CallPriority
        var sequence: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// Creates a pool; a concurrency below 1 is raised to 1.
    public init(concurrency: Int) {
        self.concurrency = max(1, concurrency)
    }

    /// Runs `operation` once a slot is free, and frees the slot when it ends.
    public func run<T: Sendable>(priority: CallPriority, _ operation: @Sendable () async throws -> T) async throws -> T
    {
        try await acquire(priority)
        defer { release() }
        return try await operation()
    }

    private func acquire(_ priority: CallPriority) async throws {
        try Task.checkCancellation()
        if running < concurrency && waiters.isEmpty {
            admit()
            return
        }
        sequence += 1
        let id = sequence
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(priority: priority, sequence: id, continuation: continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func admit() {
        running += 1
        peakRunning = max(peakRunning, running)
    }

    private func release() {
        running -= 1
        guard running < concurrency, let best = waiters.indices.min(by: { order(waiters[$0], waiters[$1]) }) else {
            return
        }
        let waiter = waiters.remove(at: best)
        admit()
        waiter.continuation.resume()
    }

    private func cancel(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.sequence == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func order(_ a: Waiter, _ b: Waiter) -> Bool {
        a.priority != b.priority ? a.priority < b.priority : a.sequence < b.sequence
    }
}
