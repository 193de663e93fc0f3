/// A Chat Completions request, with what validation needs to know beside it.
public struct ChatRequest: Sendable, Hashable, Encodable {
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var topP: Double?
    public var n: Int?
    public var stop: [String]?
    /// The most tokens to generate; Moonshot's default is 1024.
    public var maxTokens: Int?
    public var stream: Bool
    /// Kimi's `thinking` switch, sent as `{"type": "enabled" | "disabled"}`; nil leaves it out.
    public var thinking: Bool?

    /// The model's context window, which must hold the prompt and `maxTokens`; never sent.
    public var contextWindow: Int?
    /// The caller's conservative count of the prompt's tokens; never sent.
    public var estimatedPromptTokens: Int?

    public init(model: String, messages: [ChatMessage], temperature: Double? = nil, topP: Double? = nil, n: Int? = nil,
                stop: [String]? = nil, maxTokens: Int? = nil, stream: Bool = false, thinking: Bool? = nil,
                contextWindow: Int? = nil, estimatedPromptTokens: Int? = nil) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.topP = topP
        self.n = n
        self.stop = stop
        self.maxTokens = maxTokens
        self.stream = stream
        self.thinking = thinking
        self.contextWindow = contextWindow
        self.estimatedPromptTokens = estimatedPromptTokens
    }

    /// `max_tokens` as the server will apply it.
    public var effectiveMaxTokens: Int { maxTokens ?? 1024 }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, n, stop, stream, thinking
        case topP = "top_p", maxTokens = "max_tokens"
    }

    private struct Thinking: Encodable { var type: String }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(messages, forKey: .messages)
        try c.encodeIfPresent(temperature, forKey: .temperature)
        try c.encodeIfPresent(topP, forKey: .topP)
        try c.encodeIfPresent(n, forKey: .n)
        try c.encodeIfPresent(stop, forKey: .stop)
        try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        if stream { try c.encode(true, forKey: .stream) }
        if let thinking { try c.encode(Thinking(type: thinking ? "enabled" : "disabled"), forKey: .thinking) }
    }
}
