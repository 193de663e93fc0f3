import Foundation

/// A failed chat API call, classified so the scheduler knows whether trying again can help.
public struct ChatAPIError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The request broke a rule of the API and was never sent.
        case invalidRequest = "invalid_request"
        /// The server answered 400.
        case badRequest = "bad_request"
        /// The server answered 400 because the prompt and `max_tokens` do not fit the model's window.
        case contextLength = "context_length"
        /// The server refused the key (401).
        case authentication
        /// The key may not do this (403).
        case permission
        /// No such endpoint (404).
        case notFound = "not_found"
        /// The model is retired or not served to this account: 404 `resource_not_found_error` for
        /// a chat call, or an id the platform's `/models` does not list. No call of the run can succeed.
        case modelRetired = "model_retired"
        /// The account's balance is gone (429 `exceeded_current_quota_error`).
        case quotaExceeded = "quota_exceeded"
        /// Too many requests or tokens for the account's limits (429 `rate_limit_reached_error`).
        case rateLimited = "rate_limited"
        /// The server is busy (429 `engine_overloaded_error`).
        case overloaded
        /// 500, 502 or 503.
        case server
        /// 504, a read timeout, or the overall deadline.
        case timeout
        /// The connection failed or dropped.
        case connection
        /// The server's answer could not be understood.
        case malformedResponse = "malformed_response"
        /// A stream ended without `[DONE]` or without a finish reason.
        case cutStream = "cut_stream"
        /// The content was refused by the server's filter.
        case contentFilter = "content_filter"
        /// A key would have gone over plain HTTP to a host that is not this machine.
        case insecureTransport = "insecure_transport"
        /// No API key was configured.
        case missingKey = "missing_key"
        /// Any other HTTP status.
        case http
    }

    public var code: Code
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// The error type from the server's body, such as `rate_limit_reached_error`.
    public var type: String?
    public var message: String
    /// How long the server asked us to wait, from `Retry-After` or `retry-after-ms`.
    public var retryAfter: Duration?
    public var cause: (any Error & Sendable)?

    public init(
        _ code: Code, status: Int? = nil, type: String? = nil, _ message: String,
        retryAfter: Duration? = nil, cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.status = status
        self.type = type
        self.message = message
        self.retryAfter = retryAfter
        self.cause = cause
    }

    /// What a failure means for the call and the run; the transport, the store executor and the
    /// server setup all read this one rule.
    public enum Disposition: Sendable, Equatable {
        /// The same request may succeed in a moment: a server error, a timeout, a dropped
        /// connection or a broken answer. Back off and send it again.
        case retry
        /// The account is over a limit or the engine is busy: every call waits, then this one is
        /// sent again.
        case retryAfterPause
        /// No later call of the run can succeed either (the key, the balance): stop the run.
        case stopRun
        /// This call cannot succeed as sent; other calls may.
        case fail
    }

    /// The one rule for what this error means: retry, retry after a pause, stop the run, or fail the call.
    public var disposition: Disposition {
        switch code {
        case .rateLimited, .overloaded: .retryAfterPause
        case .server, .timeout, .connection, .malformedResponse, .cutStream: .retry
        case .authentication, .quotaExceeded, .missingKey, .insecureTransport, .modelRetired: .stopRun
        case .invalidRequest, .badRequest, .contextLength, .permission, .notFound, .contentFilter, .http: .fail
        }
    }

    /// Why the run stops, for ``Disposition/stopRun`` errors: what the user must do.
    public var stopReason: String {
        code == .quotaExceeded
            ? "the account's balance is exhausted (429 exceeded_current_quota_error); top up and run again"
            : description
    }

    public var description: String {
        var text = message
        if let status { text = "HTTP \(status)" + (type.map { " \($0)" } ?? "") + ": " + text }
        if let cause { text += " (\(cause))" }
        return text
    }
}
