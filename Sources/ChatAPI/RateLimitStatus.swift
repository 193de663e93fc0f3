import Foundation

/// The account's request budget as a server states it in `X-RateLimit-Limit`,
/// `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Kimi's help centre names them): what is left
/// of the current window and when it starts again. Used when a server sends them, never required.
public struct RateLimitStatus: Sendable, Hashable {
    public var limit: Int?
    public var remaining: Int
    /// How long until the window resets.
    public var reset: Duration

    public init(limit: Int?, remaining: Int, reset: Duration) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }

    /// The status the headers give, or nil when they do not give both what is left and when it resets.
    /// `X-RateLimit-Reset` is read as seconds to wait (`12`, `1.5`, `12s`, `250ms`) or, when it is
    /// past a billion, as the Unix time of the reset.
    public static func parse(_ headers: [(String, String)], now: Date = Date()) -> RateLimitStatus? {
        func value(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1.trimmingCharacters(in: .whitespaces)
        }
        guard let remaining = value("x-ratelimit-remaining").flatMap({ Int($0) }), remaining >= 0,
            let raw = value("x-ratelimit-reset"), let reset = duration(raw, now: now)
        else { return nil }
        return RateLimitStatus(
            limit: value("x-ratelimit-limit").flatMap { Int($0) }, remaining: remaining, reset: reset)
    }

    private static func duration(_ raw: String, now: Date) -> Duration? {
        var text = raw.lowercased()
        var scale = 1.0
        if text.hasSuffix("ms") {
            text.removeLast(2)
            scale = 0.001
        } else if text.hasSuffix("s") {
            text.removeLast()
        }
        guard let number = Double(text), number >= 0 else { return nil }
        let seconds = number > 1_000_000_000 ? max(0, number - now.timeIntervalSince1970) : number * scale
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
