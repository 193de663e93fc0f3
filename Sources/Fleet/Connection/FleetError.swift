/// Why the shared PostgreSQL store, queue or limiter could not do what was asked.
public struct FleetError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The store's address is not one precis can use (a password in argv, an unknown scheme).
        case address
        /// The server could not be reached or refused the login.
        case connect
        /// A query failed.
        case query
        /// The database's schema is newer than this precis knows.
        case schema
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
        guard let cause else { return message }
        return "\(message): \(String(reflecting: cause))"
    }
}
