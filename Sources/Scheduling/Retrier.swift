/// Retries a call that no limiter admits (a file upload, a batch's status) by the same policy, the
/// same classification and the same `Retry-After` the ``Scheduler`` keeps for model calls.
public struct Retrier: Sendable {
    public let policy: RetryPolicy
    let clock: any SchedulingClock
    let random: Jitter

    public init(policy: RetryPolicy, clock: any SchedulingClock = SystemClock(), seed: UInt64? = nil) {
        self.policy = policy
        self.clock = clock
        self.random = Jitter(seed: seed)
    }

    /// Runs `body`, trying again while `classify` says to and attempts are left.
    /// - Parameter onRetry: told of each failure that is tried again, with the wait before it.
    public func run<T: Sendable>(
        classify: @Sendable (any Error) -> FailureDecision,
        onRetry: @Sendable (any Error, Duration) -> Void = { _, _ in },
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        var retry = 0
        while true {
            do { return try await body() } catch {
                let decision: FailureDecision = error is CancellationError ? .fail : classify(error)
                guard case .retry(let after, _) = decision, retry + 1 < policy.maxAttempts else { throw error }
                let wait = policy.delay(retry: min(retry, 8), retryAfter: after, unit: random.next())
                onRetry(error, wait)
                try await clock.sleep(for: wait)
                retry += 1
            }
        }
    }
}
