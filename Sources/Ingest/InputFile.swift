import Foundation

/// A candidate file found by the walk, not yet read.
public struct InputFile: Sendable, Hashable {
    /// The stable document id: the path relative to its input root.
    public var id: String
    public var url: URL
    public var size: Int
    public var modified: Date

    public init(id: String, url: URL, size: Int, modified: Date) {
        self.id = id
        self.url = url
        self.size = size
        self.modified = modified
    }

    /// The document format the file's extension names, or nil when precis does not read it.
    public var format: Document.Format? { InputFile.format(ofExtension: url.pathExtension) }

    static func format(ofExtension ext: String) -> Document.Format? {
        switch ext.lowercased() {
        case "txt", "text", "md": .text
        case "pdf": .pdf
        default: nil
        }
    }
}
