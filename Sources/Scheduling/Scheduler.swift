import Synchronization

/// Runs calls under the account's limits and retries the ones that failed in a retryable way.
public struct Scheduler: Sendable {
    public let limiter: RateLimiter
    public let policy: RetryPolicy
    /// The account's limits shared with other workers, asked after the local limiter.
    public let account: (any AccountGate)?
    let clock: any SchedulingClock
    private let random: Jitter

    /// What a finished call billed, for spending caps, and the prompt as the server counted it.
    public struct Billing: Sendable {
        public var tokens: Int
        public var cost: Double
        public var chargedPrompt: Int?
        /// What the server said is left of the account's requests, and for how long.
        public var serverBudget: ServerBudget?

        public init(tokens: Int, cost: Double, chargedPrompt: Int? = nil, serverBudget: ServerBudget? = nil) {
            self.tokens = tokens
            self.cost = cost
            self.chargedPrompt = chargedPrompt
            self.serverBudget = serverBudget
        }
    }

    /// Throttled retries (the server said wait) are bounded apart from failures, and more loosely:
    /// waiting out a busy account is expected, failing a file for it is not.
    static let throttledRetryFactor = 5

    public init(
        limiter: RateLimiter, policy: RetryPolicy = RetryPolicy(), account: (any AccountGate)? = nil,
        clock: any SchedulingClock = SystemClock(), seed: UInt64? = nil
    ) {
        self.limiter = limiter
        self.account = account
        self.policy = policy
        self.clock = clock
        self.random = Jitter(seed: seed)
    }

    /// Admits and runs `operation`, retrying as `classify` decides.
    /// - Parameters:
    ///   - classify: turns an error into a decision; errors it calls final are thrown at once.
    ///   - onRetry: told before each retry, so reports can count them.
    ///   - operation: the call; returns its result and what it billed.
    public func run<T: Sendable>(
        _ request: RateLimiter.Request,
        classify: @Sendable (any Error) -> FailureDecision,
        onRetry: @Sendable (any Error) -> Void = { _ in },
        operation: @Sendable () async throws -> (T, Billing)
    ) async throws -> T {
        var retry = 0
        var throttledRetries = 0
        while true {
            let ticket = try await limiter.admit(request)
            var shared: Int64?
            if let account {
                do { shared = try await account.admit(tokens: request.charge, limits: limiter.limits) } catch {
                    await limiter.finish(ticket, tokens: 0, cost: 0)
                    throw error
                }
            }
            do {
                let (result, billing) = try await operation()
                if let shared {
                    await account?.finish(
                        shared, chargedTokens: billing.chargedPrompt.map { min(request.charge, $0 + request.maxTokens) }
                    )
                }
                await limiter.finish(
                    ticket, tokens: billing.tokens, cost: billing.cost, chargedPrompt: billing.chargedPrompt,
                    serverBudget: billing.serverBudget)
                return result
            } catch {
                if let shared { await account?.finish(shared, chargedTokens: nil) }
                let decision: FailureDecision = error is CancellationError ? .fail : classify(error)
                // Stop before the slot frees, or a waiter could be admitted in between.
                if case .stopRun(let reason) = decision { await limiter.stop(reason) }
                await limiter.finish(ticket, tokens: 0, cost: 0)
                switch decision {
                case .fail, .stopRun:
                    throw error
                case .retry(let after, let throttled):
                    let attempts = throttled ? throttledRetries : retry
                    let limit = throttled ? policy.maxAttempts * Self.throttledRetryFactor : policy.maxAttempts
                    guard attempts + 1 < limit else {
                        throw SchedulingError(.retriesExhausted, "gave up after \(attempts + 1) attempts", cause: error)
                    }
                    let wait = policy.delay(retry: min(attempts, 8), retryAfter: after, unit: random.next())
                    onRetry(error)
                    if throttled {
                        // The server says the account is over a limit: everyone waits and slows, not just us.
                        throttledRetries += 1
                        await account?.pause(for: wait)
                        await limiter.throttle(for: wait)
                    } else {
                        retry += 1
                        try await clock.sleep(for: wait)
                    }
                }
            }
        }
    }
}

/// Uniform numbers in [0, 1) for jitter; seeded for reproducible tests.
final class Jitter: Sendable {
    private let state: Mutex<UInt64>

    init(seed: UInt64?) {
        state = Mutex(seed ?? UInt64.random(in: 1...UInt64.max))
    }

    func next() -> Double {
        let z = state.withLock { s -> UInt64 in
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Double(z >> 11) / Double(1 << 53)
    }
}
