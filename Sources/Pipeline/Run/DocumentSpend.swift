import Synchronization

/// What one document's calls cost (made calls only), and which stored calls its tree used.
final class DocumentSpend: Sendable {
    struct Tally: Sendable {
        var cost = 0.0
        var truncatedCalls = 0
        var usageEstimated = false
        var retries = 0
        /// Keys of every call the tree used, made or reused.
        var keys: Set<String> = []
        var callsMade = 0
        /// Requests the server answered for the calls made: more than calls where a cut answer
        /// was continued or asked again.
        var requests = 0
        /// The part of `callsMade` a remote batch answered, at the batch price.
        var batchCalls = 0
        var callsReused = 0
        var promptTokens = 0
        var completionTokens = 0
        var reasoningTokens = 0
        var cachedTokens = 0
        /// What the cached tokens saved against the cache-miss price.
        var cacheSaved = 0.0
    }

    private let tally = Mutex(Tally())

    var value: Tally { tally.withLock { $0 } }

    func addRetry() {
        tally.withLock { $0.retries += 1 }
    }

    func use(_ key: String) {
        tally.withLock { _ = $0.keys.insert(key) }
    }

    func batched() {
        tally.withLock { $0.batchCalls += 1 }
    }

    func reused() {
        tally.withLock { $0.callsReused += 1 }
    }

    func made(
        prompt: Int, completion: Int, reasoning: Int = 0, cached: Int = 0, cost: Double, saved: Double = 0,
        truncated: Bool, estimated: Bool, requests: Int = 1
    ) {
        tally.withLock {
            $0.callsMade += 1
            $0.requests += requests
            $0.promptTokens += prompt
            $0.completionTokens += completion
            $0.reasoningTokens += reasoning
            $0.cachedTokens += cached
            $0.cacheSaved += saved
            $0.cost += cost
            if truncated { $0.truncatedCalls += 1 }
            if estimated { $0.usageEstimated = true }
        }
    }
}
