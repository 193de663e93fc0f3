/// A model a server offers, with its context window when known.
public struct ModelInfo: Sendable, Hashable {
    public var id: String
    /// Tokens of prompt and completion together.
    public var contextLength: Int?

    public init(id: String, contextLength: Int?) {
        self.id = id
        self.contextLength = contextLength
    }

    /// The published window of `id` from ``ModelFamily``'s table, or from a `-8k`/`-32k`/`-128k` suffix.
    public static func knownWindow(of id: String) -> Int? {
        if let window = ModelFamily.of(id).window { return window }
        for (suffix, window) in [("-8k", 8_192), ("-32k", 32_768), ("-128k", 131_072)] where id.hasSuffix(suffix) {
            return window
        }
        return nil
    }
}
