/// Sends chat requests somewhere and returns completions: the seam the summarizer is tested through.
public protocol ChatTransport: Sendable {
    /// Sends `request`, streaming or not as it says, and returns the whole completion.
    /// - Throws: ``ChatAPIError``, classified as retryable or final.
    func complete(_ request: ChatRequest) async throws -> ChatCompletion
}
