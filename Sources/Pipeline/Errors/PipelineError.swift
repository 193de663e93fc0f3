/// Why a run could not start or finish as a whole (a single file's failure is reported, not thrown).
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The command line named something that does not exist or cannot be used.
        case usage
        /// A pipeline file is missing, malformed or holds a bad value.
        case config
        /// The output directory or the store could not be written.
        case output
        /// The server refused the key or the account ran out of quota, so the run stopped.
        case stopped
        /// Another run holds the output directory.
        case locked
        /// SIGINT ended the command.
        case interrupted
        /// SIGTERM ended the command.
        case terminated
        /// A call (and so its document) waits for a remote batch to answer it; not a failure.
        case waiting
        /// A remote batch line failed every time it was sent.
        case batchFailed = "batch_failed"
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
