import Foundation

/// A source file read into text with its structure, ready for chunking.
public struct Document: Sendable {
    /// The file's format.
    public enum Format: String, Sendable, Codable {
        case text, pdf
        /// DOC/DOCX, PPT/PPTX, XLS/XLSX, EPUB and HTML: read only through Kimi's file extraction (`formats: kimi`).
        case office
    }

    /// A structural unit: a PDF page, or the text under one heading.
    public struct Part: Sendable, Hashable {
        public var text: String
        /// The 1-based page number, for PDFs.
        public var page: Int?
        /// The headings above this text, outermost first.
        public var headingPath: [String]

        public init(text: String, page: Int? = nil, headingPath: [String] = []) {
            self.text = text
            self.page = page
            self.headingPath = headingPath
        }
    }

    /// The stable id: the path relative to the input root it was found under.
    public var id: String
    public var url: URL
    public var format: Format
    /// Lowercase hex SHA-256 of the file's bytes.
    public var contentHash: String
    public var byteCount: Int
    /// The title from PDF metadata, the first heading, or the file name.
    public var title: String
    public var parts: [Part]
    /// The text encoding that decoded the file, for text files.
    public var encoding: String?
    /// Things worth telling the user that did not stop the file, such as a lossy decode.
    public var warnings: [String]
    /// Pages in the file, for PDFs.
    public var pageCount: Int?
    /// Pages of a PDF with no text layer that no local OCR read: their text is missing from `parts`.
    public var unreadPages = 0

    public init(
        id: String, url: URL, format: Format, contentHash: String, byteCount: Int, title: String,
        parts: [Part], encoding: String? = nil, warnings: [String] = [], pageCount: Int? = nil
    ) {
        self.id = id
        self.url = url
        self.format = format
        self.contentHash = contentHash
        self.byteCount = byteCount
        self.title = title
        self.parts = parts
        self.encoding = encoding
        self.warnings = warnings
        self.pageCount = pageCount
    }

    /// The number of characters of text across all parts.
    public var characterCount: Int { parts.reduce(0) { $0 + $1.text.count } }
}
