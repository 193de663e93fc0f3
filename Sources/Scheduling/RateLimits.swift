/// An account's limits as Moonshot applies them: per account, shared by every model.
public struct RateLimits: Sendable, Hashable {
    /// Requests in progress at once.
    public var concurrency: Int
    /// Requests admitted per window.
    public var rpm: Int?
    /// Tokens charged (prompt + `max_tokens`) per window.
    public var tpm: Int?
    /// Tokens charged per day.
    public var tpd: Int?
    /// The sliding window RPM and TPM count over: a minute, or less for servers scaled down in tests.
    public var window: Duration

    public init(concurrency: Int, rpm: Int? = nil, tpm: Int? = nil, tpd: Int? = nil, window: Duration = .seconds(60)) {
        self.concurrency = max(1, concurrency)
        self.rpm = rpm
        self.tpm = tpm
        self.tpd = tpd
        self.window = window
    }

    /// Moonshot's published limits for recharge tiers 0 to 5.
    public static func tier(_ tier: Int) -> RateLimits? {
        switch tier {
        case 0: RateLimits(concurrency: 1, rpm: 3, tpm: 500_000, tpd: 1_500_000)
        case 1: RateLimits(concurrency: 50, rpm: 200, tpm: 2_000_000)
        case 2: RateLimits(concurrency: 100, rpm: 500, tpm: 3_000_000)
        case 3: RateLimits(concurrency: 200, rpm: 5_000, tpm: 3_000_000)
        case 4: RateLimits(concurrency: 400, rpm: 5_000, tpm: 4_000_000)
        case 5: RateLimits(concurrency: 1_000, rpm: 10_000, tpm: 5_000_000)
        default: nil
        }
    }
}

/// Caps on what a whole run may spend; reaching one stops admitting calls.
public struct SpendingLimits: Sendable, Hashable {
    public var maxTokens: Int?
    public var maxCost: Double?

    public init(maxTokens: Int? = nil, maxCost: Double? = nil) {
        self.maxTokens = maxTokens
        self.maxCost = maxCost
    }
}
