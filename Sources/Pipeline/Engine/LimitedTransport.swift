import ChatAPI
import Scheduling

/// The chat client behind the account's limits: every HTTP request, a length retry included, is
/// admitted and charged as Moonshot charges it, and retried when its failure is retryable.
struct LimitedTransport: ChatTransport {
    let inner: any ChatTransport
    let scheduler: Scheduler
    let config: PipelineConfig

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        let scope = CallScope.current
        let prompt = request.estimatedPromptTokens ?? 0
        let admission = RateLimiter.Request(
            promptTokens: prompt, maxTokens: request.effectiveMaxTokens,
            costBound: config.cost(model: request.model, prompt: prompt, completion: request.effectiveMaxTokens),
            priority: scope?.priority ?? CallPriority(document: .max, level: 0)
        )
        let inner = self.inner
        let config = self.config
        let onRetry: @Sendable (any Error) -> Void = { _ in scope?.spend.addRetry() }
        return try await scheduler.run(admission, classify: Self.classify, onRetry: onRetry) {
            let completion = try await inner.complete(request)
            let usage =
                completion.usage
                ?? ChatCompletion.Usage(promptTokens: prompt, completionTokens: request.effectiveMaxTokens)
            let billing = Scheduler.Billing(
                tokens: usage.promptTokens + usage.completionTokens,
                cost: config.cost(
                    model: completion.model, prompt: usage.promptTokens, cached: usage.cachedTokens,
                    completion: usage.completionTokens),
                chargedPrompt: completion.usage?.promptTokens,
                serverBudget: completion.rateLimit.map { ServerBudget(remaining: $0.remaining) }
            )
            return (completion, billing)
        }
    }

    /// The scheduler's decision for a failure, as ``ChatAPIError/disposition`` rules it.
    static func classify(_ error: any Error) -> FailureDecision {
        guard let error = error as? ChatAPIError else { return .fail }
        switch error.disposition {
        case .retryAfterPause: return .retry(after: error.retryAfter, throttled: true)
        case .retry: return .retry(after: error.retryAfter, throttled: false)
        case .stopRun: return .stopRun(error.stopReason)
        case .fail: return .fail
        }
    }
}

/// What a model call knows about the document it serves, passed down through the summarizer.
struct CallScope: Sendable {
    @TaskLocal static var current: CallScope?

    var priority: CallPriority
    var spend: DocumentSpend
    /// The call's content-addressed key, which a batch line answers.
    var key: String? = nil
    /// The document the call serves.
    var document: String? = nil
}
