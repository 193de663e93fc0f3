/// Why the checkpoint store could not be opened, read or written.
public struct CheckpointError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case open
        case read
        case write
        /// The file is not a whole store: emptied, or overwritten in part. Starting over would
        /// silently pay again for every call it held.
        case damaged
    }

    public var code: Code
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        cause.map { "\(message): \($0)" } ?? message
    }
}
