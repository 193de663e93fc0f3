/// The result of one summarizer call.
public struct Summary: Sendable, Hashable, Codable {
    public var text: String
    /// Tokens the call consumed as input, as the backend reported or estimated them.
    public var promptTokens: Int
    /// Tokens the call produced, reasoning included.
    public var completionTokens: Int
    /// The part of `completionTokens` a thinking model spent reasoning; its text is never kept.
    public var reasoningTokens: Int
    /// The part of `promptTokens` the platform's prefix cache served.
    public var cachedTokens: Int
    /// The model that answered, for model backends.
    public var model: String?
    /// Whether the answer was cut at its token limit and kept as it was.
    public var truncated: Bool
    /// Whether the token counts are estimates because the server reported none.
    public var usageEstimated: Bool
    /// Whether a remote batch answered the call, at the batch price.
    public var batched = false
    /// The requests the server answered for this summary: 1, or more when a cut answer was
    /// continued or asked again; its tokens count them all.
    public var requests = 1

    public init(
        text: String, promptTokens: Int = 0, completionTokens: Int = 0, reasoningTokens: Int = 0, cachedTokens: Int = 0,
        model: String? = nil, truncated: Bool = false, usageEstimated: Bool = false
    ) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.reasoningTokens = reasoningTokens
        self.cachedTokens = cachedTokens
        self.model = model
        self.truncated = truncated
        self.usageEstimated = usageEstimated
    }
}
