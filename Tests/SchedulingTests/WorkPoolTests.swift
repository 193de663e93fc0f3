import PrecisTesting
import Scheduling
import Testing

struct WorkPoolTests {
    @Test func neverRunsMoreThanItsConcurrency() async throws {
        let pool = WorkPool(concurrency: 3)
        let running = Locked(0)
        let peak = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<30 {
                group.addTask {
                    try await pool.run(priority: CallPriority(document: i % 4, level: 0)) {
                        let now = running.withLock {
                            $0 += 1
                            return $0
                        }
                        peak.withLock { $0 = max($0, now) }
                        await Task.yield()
                        try await Task.sleep(for: .milliseconds(1))
                        running.withLock { $0 -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.value <= 3)
        #expect(await pool.peakRunning == peak.value)
    }

    @Test func admitsEarlierDocumentsAndDeeperLevelsFirst() async throws {
        let pool = WorkPool(concurrency: 1)
        let order = Locked<[String]>([])
        let gate = AsyncStream<Void>.makeStream()
        // Hold the only slot until every waiter is queued.
        let holder = Task {
            try await pool.run(priority: CallPriority(document: 0, level: 0)) { for await _ in gate.stream {} }
        }
        while await pool.peakRunning == 0 { await Task.yield() }
        let waiting: [(String, CallPriority)] = [
            ("doc2-map", CallPriority(document: 2, level: 0)),
            ("doc1-map", CallPriority(document: 1, level: 0)),
            ("doc1-reduce", CallPriority(document: 1, level: 1)),
            ("doc0-final", CallPriority(document: 0, level: 2))
        ]
        var tasks: [Task<Void, any Error>] = []
        for (index, (name, priority)) in waiting.enumerated() {
            tasks.append(Task { try await pool.run(priority: priority) { order.withLock { $0.append(name) } } })
            // Queued in this order: the pool's order, not arrival, must decide.
            while await pool.waiting <= index { await Task.yield() }
        }
        gate.continuation.finish()
        try await holder.value
        for task in tasks { try await task.value }
        #expect(order.value == ["doc0-final", "doc1-reduce", "doc1-map", "doc2-map"])
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let pool = WorkPool(concurrency: 1)
        let gate = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.run(priority: CallPriority(document: 0, level: 0)) { for await _ in gate.stream {} }
        }
        while await pool.peakRunning == 0 { await Task.yield() }
        let waiter = Task { try await pool.run(priority: CallPriority(document: 1, level: 0)) { 42 } }
        while await pool.waiting == 0 { await Task.yield() }
        waiter.cancel()
        while await pool.waiting > 0 { await Task.yield() }
        await #expect(throws: CancellationError.self) { try await waiter.value }
        gate.continuation.finish()
        try await holder.value
        #expect(try await pool.run(priority: CallPriority(document: 2, level: 0)) { 7 } == 7)
    }
}
