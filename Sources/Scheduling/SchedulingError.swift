/// Why the scheduler would not admit a call.
public struct SchedulingError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The run stopped admitting calls: quota gone, daily limit or a spending cap reached.
        case stopped
        /// One request alone is larger than a per-window limit, so it can never be admitted.
        case tooLarge = "too_large"
        /// A retryable failure kept failing past the retry limit.
        case retriesExhausted = "retries_exhausted"
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
