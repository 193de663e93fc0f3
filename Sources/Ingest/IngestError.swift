/// Why a file could not be read into a ``Document``.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case unreadable
        case notRegularFile = "not_regular_file"
        case tooLarge = "too_large"
        case binary
        case noText = "no_text"
        case pdfDamaged = "pdf_damaged"
        case pdfEncrypted = "pdf_encrypted"
        /// A format only a remote reader handles, and none is set up.
        case unsupported
    }

    public var code: Code
    /// The file the error is about, as the user named or reached it.
    public var path: String
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, path: String, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }

    /// The message and its cause, without the path: for places that name the file already.
    public var reason: String {
        cause.map { "\(message) (\($0))" } ?? message
    }

    public var description: String {
        "\(path): \(reason)"
    }
}
