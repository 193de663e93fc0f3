/// A structural unit of a document handed to the chunker: a PDF page, or the text under one heading.
///
/// Section starts are the strongest boundaries the chunker knows.
public struct Section: Sendable, Hashable {
    /// The section's text.
    public var text: String
    /// The 1-based page this text is on, for paged sources.
    public var page: Int?
    /// The headings above this text, outermost first.
    public var headingPath: [String]

    /// Creates a section.
    public init(text: String, page: Int? = nil, headingPath: [String] = []) {
        self.text = text
        self.page = page
        self.headingPath = headingPath
    }
}
