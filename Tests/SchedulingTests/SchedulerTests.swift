import PrecisTesting
import Scheduling
import Testing

struct TestFailure: Error, Equatable {
    var kind: String
    var retryAfter: Duration? = nil
}

/// Retries on a manual clock: backoff and Retry-After are checked in clock time, not waited for.
@Suite(.timeLimit(.minutes(1)))
struct SchedulerTests {
    static func classify(_ error: any Error) -> FailureDecision {
        guard let failure = error as? TestFailure else { return .fail }
        switch failure.kind {
        case "server": return .retry(after: failure.retryAfter, throttled: false)
        case "429": return .retry(after: failure.retryAfter, throttled: true)
        case "quota": return .stopRun("balance exhausted")
        default: return .fail
        }
    }

    /// Runs `body` while moving the clock forward whenever something sleeps on it.
    func drive<T: Sendable>(_ clock: ManualClock, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let done = Locked(false)
        let driver = Task {
            while !done.value {
                if clock.sleeperCount > 0 { clock.advance(by: .milliseconds(100)) }
                await Task.yield()
            }
        }
        defer {
            done.withLock { $0 = true }
            driver.cancel()
        }
        return try await task.value
    }

    func scheduler(_ clock: ManualClock, attempts: Int = 5, limits: RateLimits = RateLimits(concurrency: 4))
        -> Scheduler
    {
        Scheduler(
            limiter: RateLimiter(limits: limits, clock: clock),
            policy: RetryPolicy(maxAttempts: attempts, baseDelay: .seconds(1), maxDelay: .seconds(8)),
            clock: clock, seed: 42)
    }

    func flaky(_ failures: [TestFailure], calls: Locked<Int>)
        -> @Sendable () async throws -> (String, Scheduler.Billing)
    {
        { @Sendable in
            let n = calls.withLock { c -> Int in
                c += 1
                return c
            }
            if n <= failures.count { throw failures[n - 1] }
            return ("done", Scheduler.Billing(tokens: 10, cost: 0))
        }
    }

    @Test func retriesARetryableFailureUntilItSucceeds() async throws {
        let clock = ManualClock()
        let s = scheduler(clock)
        let calls = Locked(0)
        let retries = Locked(0)
        let op = flaky([TestFailure(kind: "server"), TestFailure(kind: "server")], calls: calls)
        let result = try await drive(clock) {
            try await s.run(
                RateLimiter.Request(promptTokens: 1, maxTokens: 1), classify: Self.classify,
                onRetry: { _ in retries.withLock { $0 += 1 } }, operation: op)
        }
        #expect(result == "done")
        #expect(calls.value == 3)
        #expect(retries.value == 2)
        // Full jitter: two waits, each at most base × 2ⁿ (1 s, then 2 s).
        #expect(clock.now() <= .seconds(3) + .milliseconds(200))
    }

    @Test func waitsAtLeastWhatRetryAfterAsks() async throws {
        let clock = ManualClock()
        let s = scheduler(clock)
        let calls = Locked(0)
        let op = flaky([TestFailure(kind: "server", retryAfter: .seconds(7))], calls: calls)
        _ = try await drive(clock) {
            try await s.run(RateLimiter.Request(promptTokens: 1, maxTokens: 1), classify: Self.classify, operation: op)
        }
        #expect(clock.now() >= .seconds(7))
    }

    @Test func aThrottledFailurePausesTheWholeLimiter() async throws {
        let clock = ManualClock()
        let s = scheduler(clock)
        let calls = Locked(0)
        let op = flaky([TestFailure(kind: "429", retryAfter: .seconds(4))], calls: calls)
        _ = try await drive(clock) {
            try await s.run(RateLimiter.Request(promptTokens: 1, maxTokens: 1), classify: Self.classify, operation: op)
        }
        #expect(await s.limiter.stats.pauses == 1)
        #expect(clock.now() >= .seconds(4))
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        let clock = ManualClock()
        let s = scheduler(clock, attempts: 3)
        let calls = Locked(0)
        let op = flaky(Array(repeating: TestFailure(kind: "server"), count: 10), calls: calls)
        await #expect {
            try await drive(clock) {
                try await s.run(
                    RateLimiter.Request(promptTokens: 1, maxTokens: 1), classify: Self.classify, operation: op)
            }
        } throws: { ($0 as? SchedulingError)?.code == .retriesExhausted }
        #expect(calls.value == 3)
    }

    @Test func failsAFinalErrorAtOnce() async throws {
        let clock = ManualClock()
        let s = scheduler(clock)
        let calls = Locked(0)
        let op = flaky([TestFailure(kind: "bad request")], calls: calls)
        await #expect(throws: TestFailure(kind: "bad request")) {
            try await s.run(RateLimiter.Request(promptTokens: 1, maxTokens: 1), classify: Self.classify, operation: op)
        }
        #expect(calls.value == 1)
        #expect(clock.now() == .zero)
    }

    @Test func aQuotaFailureStopsTheRun() async throws {
        let clock = ManualClock()
        let s = scheduler(clock)
        let calls = Locked(0)
        let op = flaky([TestFailure(kind: "quota")], calls: calls)
        await #expect(throws: TestFailure.self) {
            try await s.run(RateLimiter.Request(promptTokens: 1, maxTokens: 1), classify: Self.classify, operation: op)
        }
        #expect(await s.limiter.stopped == "balance exhausted")
        await #expect(throws: SchedulingError.self) {
            try await s.run(
                RateLimiter.Request(promptTokens: 1, maxTokens: 1), classify: Self.classify,
                operation: flaky([], calls: calls))
        }
    }

    @Test func backoffGrowsExponentiallyWithinItsCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(8))
        #expect(policy.delay(retry: 0, retryAfter: nil, unit: 0.999) < .seconds(1))
        #expect(policy.delay(retry: 2, retryAfter: nil, unit: 0.999) > .seconds(3))
        #expect(policy.delay(retry: 9, retryAfter: nil, unit: 0.999) <= .seconds(8))
        #expect(policy.delay(retry: 0, retryAfter: .seconds(5), unit: 0.1) == .seconds(5))
        #expect(policy.delay(retry: 3, retryAfter: nil, unit: 0) == .zero)
    }
}
