/// Why a document's summary could not be produced.
public struct SummarizationError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case noText = "no_text"
        case doesNotConverge = "does_not_converge"
        case tooDeep = "too_deep"
        case summarizerFailed = "summarizer_failed"
        /// A call's prompt and answer room do not fit the model's window, by the estimate or by the server.
        case tooLong = "too_long"
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
