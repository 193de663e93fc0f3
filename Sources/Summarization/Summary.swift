/// The result of one summarizer call.
public struct Summary: Sendable, Hashable, Codable {
    public var text: String
    /// Tokens the call consumed as input, as the backend reported or estimated them.
    public var promptTokens: Int
    /// Tokens the call produced.
    public var completionTokens: Int

    public init(text: String, promptTokens: Int = 0, completionTokens: Int = 0) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
