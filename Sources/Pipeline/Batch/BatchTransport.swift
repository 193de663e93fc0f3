import ChatAPI

/// The transport of `mode: batch`: answers a call from the batch that answered it, or defers it to
/// the next batch, and sends online only what the pipeline's fallback allows.
///
/// The call's key comes from the ``CallScope`` the store executor sets, so that a batch answer is
/// stored under exactly the key an online call would have had.
struct BatchTransport: ChatTransport {
    let online: any ChatTransport
    let ledger: BatchLedger
    let fallback: PipelineConfig.BatchFallback

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        guard let scope = CallScope.current, let key = scope.key else { return try await online.complete(request) }
        switch await ledger.lookup(key) {
        case .answer(var completion):
            completion.batched = true
            return completion
        case .waiting:
            throw PipelineError(.waiting, "waiting for a batch")
        case .exhausted(let error):
            guard fallback == .online else {
                throw PipelineError(.batchFailed, "a batch line failed every time it was sent (\(error)); set batch.fallback: online to make such calls online")
            }
            return try await online.complete(request)
        case .new:
            var request = request
            request.stream = false
            // What the platform would refuse in the batch fails here, naming the call, as online.
            try RequestValidator.validate(request)
            await ledger.want(.init(key: key, request: request, document: scope.document ?? ""))
            throw PipelineError(.waiting, "waiting for a batch")
        }
    }
}
