import Scheduling

extension PipelineConfig {
    /// Account limits in a pipeline file; unset axes are unlimited unless a tier sets them.
    public struct Limits: Sendable, Hashable, Codable {
        public var concurrency: Int?
        public var rpm: Int?
        public var tpm: Int?
        public var tpd: Int?
        /// The length of the RPM/TPM window; 60 for Moonshot, less only for servers scaled down in tests.
        public var windowSeconds: Double?

        public init(
            concurrency: Int? = nil, rpm: Int? = nil, tpm: Int? = nil, tpd: Int? = nil, windowSeconds: Double? = nil
        ) {
            self.concurrency = concurrency
            self.rpm = rpm
            self.tpm = tpm
            self.tpd = tpd
            self.windowSeconds = windowSeconds
        }

        enum CodingKeys: String, CodingKey {
            case concurrency, rpm, tpm, tpd
            case windowSeconds = "window_seconds"
        }
    }

    public struct Retries: Sendable, Hashable, Codable {
        public var maxAttempts: Int
        public var baseDelayMS: Int
        public var maxDelayMS: Int

        public init(maxAttempts: Int = 6, baseDelayMS: Int = 500, maxDelayMS: Int = 30_000) {
            self.maxAttempts = maxAttempts
            self.baseDelayMS = baseDelayMS
            self.maxDelayMS = maxDelayMS
        }

        enum CodingKeys: String, CodingKey {
            case maxAttempts = "max_attempts"
            case baseDelayMS = "base_delay_ms"
            case maxDelayMS = "max_delay_ms"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Retries()
            maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? d.maxAttempts
            baseDelayMS = try c.decodeIfPresent(Int.self, forKey: .baseDelayMS) ?? d.baseDelayMS
            maxDelayMS = try c.decodeIfPresent(Int.self, forKey: .maxDelayMS) ?? d.maxDelayMS
        }

        public var policy: RetryPolicy {
            RetryPolicy(
                maxAttempts: maxAttempts, baseDelay: .milliseconds(baseDelayMS), maxDelay: .milliseconds(maxDelayMS))
        }
    }
}

/// Limits given on the command line; each overrides the pipeline's.
public struct LimitOverrides: Sendable, Hashable {
    public var tier: Int?
    public var rpm: Int?
    public var tpm: Int?
    public var tpd: Int?
    public var spending = SpendingLimits()

    public init(
        tier: Int? = nil, rpm: Int? = nil, tpm: Int? = nil, tpd: Int? = nil, spending: SpendingLimits = SpendingLimits()
    ) {
        self.tier = tier
        self.rpm = rpm
        self.tpm = tpm
        self.tpd = tpd
        self.spending = spending
    }
}
