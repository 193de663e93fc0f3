import ChatAPI
import Chunking

/// The requests of one summary and what they spent together: a first answer, and any request
/// that asked again or went on from a cut answer.
struct Exchange {
    let transport: any ChatTransport
    let estimator: TokenEstimator
    private(set) var spent = Summary(text: "")
    /// Whether any count is an estimate because the server reported none.
    private(set) var estimated = false
    private(set) var requests = 0

    init(transport: any ChatTransport, estimator: TokenEstimator) {
        self.transport = transport
        self.estimator = estimator
    }

    /// Sends `request` and adds what it spent.
    mutating func send(_ request: ChatRequest) async throws -> ChatCompletion {
        let completion = try await transport.complete(request)
        let estimate = request.estimatedPromptTokens ?? 0
        // A server that reports no usage (llama.cpp's streams) gets our estimate, marked as such.
        let reasoning = completion.reasoning.isEmpty ? 0 : estimator.estimate(completion.reasoning)
        let usage =
            completion.usage
            ?? ChatCompletion.Usage(
                promptTokens: estimate, completionTokens: estimator.estimate(completion.text) + reasoning,
                reasoningTokens: reasoning)
        spent.promptTokens += usage.promptTokens
        spent.completionTokens += usage.completionTokens
        spent.cachedTokens += usage.cachedTokens
        spent.reasoningTokens += usage.reasoningTokens ?? reasoning
        estimated = estimated || completion.usage == nil
        requests += 1
        return completion
    }
}
