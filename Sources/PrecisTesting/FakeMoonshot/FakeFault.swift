/// A failure the fake server acts out for one chat request.
public enum FakeFault: Sendable, Hashable {
    /// Answer with this status and a Moonshot error body of this type.
    case status(Int, type: String)
    /// 429 `rate_limit_reached_error` with `Retry-After` in seconds.
    case rateLimited(retryAfter: Int)
    /// 429 `engine_overloaded_error`.
    case overloaded
    /// 429 `exceeded_current_quota_error`.
    case quotaExceeded
    /// 400 `content_filter`.
    case contentFilter
    /// Close the connection without answering.
    case drop
    /// Answer 200 with a body that is not JSON.
    case malformedJSON
    /// Stream part of the answer, then end without `[DONE]`.
    case cutStream
    /// Stream the answer and `[DONE]`, but never a finish reason.
    case noFinishReason
    /// Answer 200 with an empty body.
    case emptyBody
    /// Answer 401 in FastAPI's `{"detail": …}` shape, as llama.cpp's server does.
    case detailUnauthorized
    /// Wait this long before answering normally.
    case delay(Duration)

    public static let serverError = FakeFault.status(500, type: "server_error")
    public static let badGateway = FakeFault.status(502, type: "server_error")
    public static let gatewayTimeout = FakeFault.status(504, type: "server_error")

    /// Every fault a client should retry through, for random injection.
    public static let retryable: [FakeFault] = [
        .serverError, .badGateway, .gatewayTimeout, .rateLimited(retryAfter: 1), .overloaded, .drop, .malformedJSON,
        .cutStream, .noFinishReason, .emptyBody
    ]
}
