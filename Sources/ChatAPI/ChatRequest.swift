/// A Chat Completions request, with what validation needs to know beside it.
public struct ChatRequest: Sendable, Hashable, Encodable {
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var topP: Double?
    public var n: Int?
    public var stop: [String]?
    /// The most tokens to generate, reasoning included; sent as the model family's field
    /// (`max_completion_tokens` for Kimi's models, `max_tokens` elsewhere).
    public var maxTokens: Int?
    public var stream: Bool
    /// Kimi's `thinking` switch, sent as `{"type": "enabled" | "disabled"}`; nil leaves it out.
    public var thinking: Bool?
    /// K3's `reasoning_effort`; nil leaves it out (the platform then reasons at `max`).
    public var reasoningEffort: ReasoningEffort?

    /// The model's context window, which must hold the prompt and `maxTokens`; never sent.
    public var contextWindow: Int?
    /// The caller's conservative count of the prompt's tokens; never sent.
    public var estimatedPromptTokens: Int?

    public init(
        model: String, messages: [ChatMessage], temperature: Double? = nil, topP: Double? = nil, n: Int? = nil,
        stop: [String]? = nil, maxTokens: Int? = nil, stream: Bool = false, thinking: Bool? = nil,
        reasoningEffort: ReasoningEffort? = nil, contextWindow: Int? = nil, estimatedPromptTokens: Int? = nil
    ) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.topP = topP
        self.n = n
        self.stop = stop
        self.maxTokens = maxTokens
        self.stream = stream
        self.thinking = thinking
        self.reasoningEffort = reasoningEffort
        self.contextWindow = contextWindow
        self.estimatedPromptTokens = estimatedPromptTokens
    }

    /// The output limit as the server will apply it: the request's, else the family's default.
    public var effectiveMaxTokens: Int { maxTokens ?? ModelFamily.of(model).defaultLimit }

    /// The prefix a partial-mode request asks the model to continue, when its last message is one.
    public var partialPrefix: String? {
        guard let last = messages.last, last.role == .assistant, last.partial else { return nil }
        return last.content
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, n, stop, stream, thinking
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case reasoningEffort = "reasoning_effort"
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
        switch ModelFamily.of(model).limitField {
        case .maxCompletionTokens: try c.encodeIfPresent(maxTokens, forKey: .maxCompletionTokens)
        case .maxTokens: try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        }
        if stream { try c.encode(true, forKey: .stream) }
        if let thinking { try c.encode(Thinking(type: thinking ? "enabled" : "disabled"), forKey: .thinking) }
        try c.encodeIfPresent(reasoningEffort, forKey: .reasoningEffort)
    }
}
