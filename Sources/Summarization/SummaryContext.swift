/// What a summarizer may know about where its inputs come from.
public struct SummaryContext: Sendable, Hashable {
    /// The document's title.
    public var title: String
    /// The headings above the input, outermost first; empty above the map level.
    public var headingPath: [String]

    public init(title: String, headingPath: [String] = []) {
        self.title = title
        self.headingPath = headingPath
    }
}
