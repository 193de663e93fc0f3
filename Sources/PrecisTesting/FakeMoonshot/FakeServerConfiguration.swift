/// How the fake Moonshot server behaves.
public struct FakeServerConfiguration: Sendable {
    /// The key it accepts; nil accepts any request, with or without a key.
    public var apiKey: String?
    /// Models and their context windows.
    public var models: [(id: String, window: Int)]
    /// Whether `/models` reports `context_length` (Moonshot's does not always).
    public var reportsContextLength: Bool
    /// Time every chat answer takes.
    public var latency: Duration
    /// Account limits, charged as prompt tokens + `max_tokens` when a request is admitted.
    public var concurrency: Int?
    public var rpm: Int?
    public var tpm: Int?
    /// Whether streamed answers carry `usage` in their last chunk (llama.cpp's never do).
    public var streamUsage: Bool
    /// A summary keeps about this share of its input, capped at `summaryCap` tokens.
    public var summaryRatio: Double
    public var summaryCap: Int
    /// Every token count times this: above 1, a small local vocabulary (a 512-token llama one
    /// counts about 2.5 times what a GPT-class one does).
    public var tokenScale: Double
    /// The RPM/TPM window: a minute, or less to scale a test down in time.
    public var window: Duration
    /// The share of chat requests that get a random fault from `faultKinds`, drawn from `seed`.
    public var faultRate: Double
    public var faultKinds: [FakeFault]
    public var seed: UInt64
    /// Tokens of `reasoning_content` a thinking model writes before its answer.
    public var reasoningTokens: Int
    /// Whether a request to a K2 model whose system message an earlier request sent gets it from the
    /// prefix cache, reported as `prompt_tokens_details.cached_tokens` (K2 models cache automatically).
    public var prefixCache: Bool
    /// How long each of a batch's phases (validating, in progress, finalizing) takes.
    public var batchPhase: Duration
    /// How long a cancelled batch stays `cancelling`.
    public var batchCancelTime: Duration
    /// The share of batch lines that fail inside the batch, drawn from `seed`.
    public var batchFailureRate: Double
    /// Batches, numbered from 1 in the order created, that expire with half their lines done.
    public var expiringBatches: Set<Int>
    /// Files of one purpose an account may hold (Moonshot's is 1,000).
    public var fileLimit: Int
    /// What file extraction reads from an uploaded file, by its name; others read as a few
    /// sentences naming the file.
    public var extractedTexts: [String: String] = [:]
    /// Whether a last assistant message with `"partial": true` is continued (Moonshot's partial
    /// mode); false acts as a server without it, which answers anew.
    public var partialMode = true
    /// Whether answers carry `X-RateLimit-Limit`, `-Remaining` and `-Reset` for the RPM window.
    public var rateLimitHeaders = false
    /// Quotes the `Authorization` header it was sent, and the key in it, in a 401's message, as
    /// careless proxies do.
    public var echoesCredentials = false
    /// Requests another client on the same key makes each window, spread evenly, against `rpm`.
    public var otherClientRequests = 0
    /// Models `/models` lists but chat answers 404 `resource_not_found_error` for, as the platform
    /// does for a model a key may not use.
    public var refusedModels: [String] = []

    public init(
        apiKey: String? = "sk-test", models: [(id: String, window: Int)] = FakeServerConfiguration.moonshotModels,
        reportsContextLength: Bool = true, latency: Duration = .zero, concurrency: Int? = nil, rpm: Int? = nil,
        tpm: Int? = nil, streamUsage: Bool = true, summaryRatio: Double = 0.25, summaryCap: Int = 300,
        tokenScale: Double = 1,
        window: Duration = .seconds(60), faultRate: Double = 0, faultKinds: [FakeFault] = FakeFault.retryable,
        seed: UInt64 = 1,
        reasoningTokens: Int = 240, prefixCache: Bool = true, batchPhase: Duration = .milliseconds(300),
        batchCancelTime: Duration = .milliseconds(50), batchFailureRate: Double = 0, expiringBatches: Set<Int> = [],
        fileLimit: Int = 1000
    ) {
        self.apiKey = apiKey
        self.models = models
        self.reportsContextLength = reportsContextLength
        self.latency = latency
        self.concurrency = concurrency
        self.rpm = rpm
        self.tpm = tpm
        self.streamUsage = streamUsage
        self.summaryRatio = summaryRatio
        self.summaryCap = summaryCap
        self.tokenScale = tokenScale
        self.window = window
        self.faultRate = faultRate
        self.faultKinds = faultKinds
        self.seed = seed
        self.reasoningTokens = reasoningTokens
        self.prefixCache = prefixCache
        self.batchPhase = batchPhase
        self.batchCancelTime = batchCancelTime
        self.batchFailureRate = batchFailureRate
        self.expiringBatches = expiringBatches
        self.fileLimit = fileLimit
    }

    /// Tokens in `text` as this server counts them.
    public func tokens(_ text: String) -> Int {
        let count = FakeTokenizer.count(text)
        return tokenScale == 1 ? count : Int((Double(count) * tokenScale).rounded(.up))
    }

    /// The prompt tokens of messages with these contents: each one's text and 3 for its role markers.
    func promptTokens(_ contents: [String]) -> Int {
        contents.reduce(0) { $0 + tokens($1) + 3 }
    }

    /// The models Moonshot's platform serves as of December 2026; kimi-k2.5 and the K2 previews
    /// are retired, so a request for one gets 404 `resource_not_found_error`.
    public static let moonshotModels: [(id: String, window: Int)] = [
        ("moonshot-v1-8k", 8_192), ("moonshot-v1-32k", 32_768), ("moonshot-v1-128k", 131_072),
        ("kimi-k2.6", 262_144), ("kimi-k2.7-code", 262_144), ("kimi-k2.7-code-highspeed", 262_144),
        ("kimi-k3", 1_048_576), ("kimi-k3.1-pro", 1_048_576), ("kimi-k3.1-pro-highspeed", 1_048_576)
    ]
}
