/// The account's limits as a fleet of workers shares them, held outside any one process.
///
/// A worker's own ``RateLimiter`` orders its calls and keeps its spending caps; the gate is asked
/// after it, so the fleet together never sends more than the account allows. A 429 seen by one
/// worker pauses the gate, and with it every worker.
public protocol AccountGate: Sendable {
    /// Waits until a request charged `tokens` (prompt + `max_tokens`) may be sent by anyone on the account.
    func admit(tokens: Int, limits: RateLimits) async throws -> Int64
    /// Hands an admission back once its request ended; `chargedTokens` corrects its window entry.
    func finish(_ admission: Int64, chargedTokens: Int?) async
    /// Holds every admission on the account for `duration`, as a server's 429 asks.
    func pause(for duration: Duration) async
}
