import ChatAPI
import Scheduling

/// The transport of `mode: batch`: answers a call from the batch that answered it, or defers it to
/// the next batch, and sends online only what the pipeline's fallback allows.
///
/// The call's key comes from the ``CallScope`` the store executor sets, so that a batch answer is
/// stored under exactly the key an online call would have had.
struct BatchTransport: ChatTransport {
    let online: any ChatTransport
    let ledger: BatchLedger
    let config: PipelineConfig
    /// The run's limiter, whose spending caps batch lines count against too.
    let limiter: RateLimiter

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        guard let scope = CallScope.current, let key = scope.key else { return try await online.complete(request) }
        switch await ledger.lookup(key) {
        case .answer(var completion):
            completion.batched = true
            return completion
        case .waiting:
            throw PipelineError(.waiting, "waiting for a batch")
        case .exhausted(let error):
            guard config.batch.fallback == .online else {
                throw PipelineError(
                    .batchFailed,
                    "a batch line failed every time it was sent (\(error)); set batch.fallback: online to make such calls online"
                )
            }
            return try await online.complete(request)
        case .new:
            var request = request
            request.stream = false
            // What the platform would refuse in the batch fails here, naming the call, as online.
            try RequestValidator.validate(request)
            // `--max-cost` and `--max-tokens-total` hold for what this run submits, at its upper bound.
            let prompt = request.estimatedPromptTokens ?? 0
            try await limiter.spend(
                tokens: prompt + request.effectiveMaxTokens,
                cost: config.cost(model: request.model, prompt: prompt, completion: request.effectiveMaxTokens)
                    * config.priceFactor)
            await ledger.want(.init(key: key, request: request, document: scope.document ?? ""))
            throw PipelineError(.waiting, "waiting for a batch")
        }
    }
}
