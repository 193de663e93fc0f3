/// A piece of a document that fits one model call's input budget.
public struct Chunk: Sendable, Hashable {
    /// The chunk's position in its document, from 0.
    public var index: Int
    /// The chunk's text.
    public var text: String
    /// The estimated token count of `text`.
    public var tokens: Int
    /// The pages the chunk came from, for paged sources.
    public var pages: ClosedRange<Int>?
    /// The heading path of the section the chunk starts in.
    public var headingPath: [String]
    /// The chapter the chunk lies wholly in, when the document is cut by chapters (see ``Chunker``).
    public var chapter: String?

    /// Creates a chunk.
    public init(
        index: Int, text: String, tokens: Int, pages: ClosedRange<Int>? = nil, headingPath: [String] = [],
        chapter: String? = nil
    ) {
        self.index = index
        self.text = text
        self.tokens = tokens
        self.pages = pages
        self.headingPath = headingPath
        self.chapter = chapter
    }
}
