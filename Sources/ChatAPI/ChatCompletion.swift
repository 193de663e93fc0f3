/// What a chat call produced: the text, why it stopped, and the tokens the server counted.
public struct ChatCompletion: Sendable, Hashable {
    /// Token counts as the server reports them.
    public struct Usage: Sendable, Hashable, Codable {
        public var promptTokens: Int
        public var completionTokens: Int

        public init(promptTokens: Int, completionTokens: Int) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        }
    }

    public var text: String
    /// `stop`, `length`, or whatever the server said; a completion always has one.
    public var finishReason: String
    /// Nil when the server sent no usage (llama.cpp's streams, for one).
    public var usage: Usage?
    /// The model the server says answered.
    public var model: String

    public init(text: String, finishReason: String, usage: Usage?, model: String) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
    }

    /// Whether the answer was cut at `max_tokens`.
    public var isTruncated: Bool { finishReason == "length" }
}
