/// What a server says is left of the account's requests in its current window (`X-RateLimit-Remaining`);
/// the limiter works out from it how many requests a window are its to send.
public struct ServerBudget: Sendable, Hashable {
    public var remaining: Int

    public init(remaining: Int) {
        self.remaining = remaining
    }
}
