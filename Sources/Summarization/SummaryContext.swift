/// What a summarizer may know about where its inputs come from.
public struct SummaryContext: Sendable, Hashable {
    /// The document's title.
    public var title: String
    /// The headings above the input, outermost first; empty above the map level.
    public var headingPath: [String]
    /// The document's language, which picks the built-in prompts.
    public var language: Language

    public init(title: String, headingPath: [String] = [], language: Language = .english) {
        self.title = title
        self.headingPath = headingPath
        self.language = language
    }
}
