/// What a server says is left of the account's requests in its current window, and when the
/// window resets; a request budget the limiter keeps to beside its own count.
public struct ServerBudget: Sendable, Hashable {
    public var remaining: Int
    public var reset: Duration

    public init(remaining: Int, reset: Duration) {
        self.remaining = remaining
        self.reset = reset
    }
}
