/// What a summarizer may know about where its inputs come from.
public struct SummaryContext: Sendable, Hashable {
    /// The document's title.
    public var title: String
    /// The headings above the input, outermost first; empty above the map level.
    public var headingPath: [String]
    /// The document's language, which picks the built-in prompts.
    public var language: Language
    /// Text carried from before the inputs, for continuity only; see ``ContextMode``.
    public var preceding: Carried?

    public init(title: String, headingPath: [String] = [], language: Language = .english, preceding: Carried? = nil) {
        self.title = title
        self.headingPath = headingPath
        self.language = language
        self.preceding = preceding
    }

    /// Text from before a call's inputs that the prompt shows but asks not to summarize.
    public struct Carried: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// The last sentences of the preceding chunk (`context: headings`).
            case tail
            /// The summary the previous sibling call wrote (`context: previous`).
            case summary
        }

        public var kind: Kind
        public var text: String

        public init(kind: Kind, text: String) {
            self.kind = kind
            self.text = text
        }
    }
}
