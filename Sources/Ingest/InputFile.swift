import Foundation

/// A candidate file found by the walk, not yet read.
public struct InputFile: Sendable, Hashable {
    /// What the walk found at the path; only regular files are read.
    public enum Kind: String, Sendable, Hashable {
        case regular
        case fifo = "a named pipe (FIFO)"
        case socket = "a socket"
        case device = "a device"
        case directory = "a directory"
        case symlinkLoop = "a symbolic link loop"
        case brokenLink = "a symbolic link to nothing"
        case other = "not a regular file"
    }

    /// The stable document id: the path relative to its input root, readable even when the name is not UTF-8.
    public var id: String
    /// The real path, byte for byte.
    public var location: SystemPath
    public var size: Int
    public var modified: Date
    public var kind: Kind
    /// Why the walk could not look further, such as a folder it may not open.
    public var problem: String?

    public init(
        id: String, location: SystemPath, size: Int, modified: Date, kind: Kind = .regular, problem: String? = nil
    ) {
        self.id = id
        self.location = location
        self.size = size
        self.modified = modified
        self.kind = kind
        self.problem = problem
    }

    public init(id: String, url: URL, size: Int, modified: Date) {
        self.init(id: id, location: SystemPath(url.path), size: size, modified: modified)
    }

    /// The path as a URL, for display and for names; exact only when the path is valid UTF-8.
    public var url: URL { URL(fileURLWithPath: location.display) }

    /// The document format the file's extension names, or nil when precis does not read it.
    public var format: Document.Format? { InputFile.format(ofName: id) }

    static func format(ofName name: String) -> Document.Format? {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
        return format(ofExtension: String(name[name.index(after: dot)...]))
    }

    static func format(ofExtension ext: String) -> Document.Format? {
        switch ext.lowercased() {
        case "txt", "text", "md": .text
        case "pdf": .pdf
        case "doc", "docx", "ppt", "pptx", "xls", "xlsx", "epub", "html", "htm": .office
        default: nil
        }
    }
}
