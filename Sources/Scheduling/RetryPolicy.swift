/// How often and how long to wait before trying a failed call again.
///
/// Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
/// [0, min(maxDelay, baseDelay × 2ⁿ)], but never less than the server's `Retry-After`.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry number `retry` (0 for the first retry), given a uniform `unit` in [0, 1).
    public func delay(retry: Int, retryAfter: Duration?, unit: Double) -> Duration {
        let exponent = min(retry, 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let jittered = ceiling * min(max(unit, 0), 1)
        return max(jittered, retryAfter ?? .zero)
    }
}

/// What to do about a failed call, as the caller's error classification says.
public enum FailureDecision: Sendable, Equatable {
    /// Try again; `throttled` means the server said the account is over a limit, so everyone waits.
    case retry(after: Duration?, throttled: Bool)
    /// No later call can succeed (the balance is gone): stop admitting for the whole run.
    case stopRun(String)
    /// This call cannot succeed; others may.
    case fail
}
