/// What a chat call produced: the text, why it stopped, and the tokens the server counted.
public struct ChatCompletion: Sendable, Hashable {
    /// Token counts as the server reports them.
    public struct Usage: Sendable, Hashable, Codable {
        public var promptTokens: Int
        /// Answer and reasoning together: both count against `max_tokens` and are billed as output.
        public var completionTokens: Int
        /// Prompt tokens the platform's prefix cache served, billed at the cache-hit price.
        public var cachedTokens: Int
        /// Completion tokens spent on reasoning, when the server says.
        public var reasoningTokens: Int?

        public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int = 0, reasoningTokens: Int? = nil) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.cachedTokens = cachedTokens
            self.reasoningTokens = reasoningTokens
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case cachedTokens = "cached_tokens"
            case promptDetails = "prompt_tokens_details"
            case completionDetails = "completion_tokens_details"
        }

        private struct Details: Codable {
            var cachedTokens: Int?
            var reasoningTokens: Int?
            enum CodingKeys: String, CodingKey {
                case cachedTokens = "cached_tokens"
                case reasoningTokens = "reasoning_tokens"
            }
        }

        /// Kimi's K2 models report the cached part as `prompt_tokens_details.cached_tokens` (and
        /// moonshot-v1's context cache as a top-level `cached_tokens`); reasoning, where a server
        /// says, as `completion_tokens_details.reasoning_tokens`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            promptTokens = try c.decode(Int.self, forKey: .promptTokens)
            completionTokens = try c.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
            // The details' shapes differ between servers; one they send otherwise counts as absent.
            let prompt = c.lenient(Details.self, forKey: .promptDetails)
            cachedTokens = prompt?.cachedTokens ?? c.lenient(Int.self, forKey: .cachedTokens) ?? 0
            reasoningTokens = c.lenient(Details.self, forKey: .completionDetails)?.reasoningTokens
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(promptTokens, forKey: .promptTokens)
            try c.encode(completionTokens, forKey: .completionTokens)
            if cachedTokens > 0 { try c.encode(Details(cachedTokens: cachedTokens), forKey: .promptDetails) }
            if let reasoningTokens {
                try c.encode(Details(reasoningTokens: reasoningTokens), forKey: .completionDetails)
            }
        }
    }

    /// The answer: `content`, never the reasoning.
    public var text: String
    /// `reasoning_content`, what a thinking model wrote before its answer; never part of `text`.
    public var reasoning: String
    /// `stop`, `length`, or whatever the server said; a completion always has one.
    public var finishReason: String
    /// Nil when the server sent no usage (llama.cpp's streams, for one).
    public var usage: Usage?
    /// The model the server says answered.
    public var model: String
    /// Whether a remote batch answered it, at the batch price.
    public var batched = false
    /// The account's budget as the response's `X-RateLimit-*` headers state it, when they do.
    public var rateLimit: RateLimitStatus?

    public init(text: String, reasoning: String = "", finishReason: String, usage: Usage?, model: String) {
        self.text = text
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
    }

    /// Whether the answer was cut at `max_tokens`.
    public var isTruncated: Bool { finishReason == "length" }
}

extension KeyedDecodingContainer {
    /// A field read when it is there in the expected shape; nil when it is missing or shaped otherwise.
    func lenient<T: Decodable>(_ type: T.Type, forKey key: Key) -> T? {
        do { return try decodeIfPresent(type, forKey: key) } catch { return nil }
    }
}
