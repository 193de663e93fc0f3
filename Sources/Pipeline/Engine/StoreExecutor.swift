import ChatAPI
import Checkpoint
import Scheduling
import Summarization

/// Runs a document's calls: reuses a stored call by key, else runs it in the shared pool and
/// commits it before returning it, so nothing depends on a call the store does not hold.
struct StoreExecutor: CallExecutor {
    let store: any RunStore
    let pool: WorkPool
    /// The document the calls serve, which each stored call is linked to.
    let path: String
    /// The order the document was opened in, for the pool's priority.
    let documentOrdinal: Int
    let gate: RunGate
    let spend: DocumentSpend
    let config: PipelineConfig
    /// The calls being made now, shared by every document of the run.
    let inFlight: InFlightCalls
    /// Where finished calls are counted as they happen.
    var progress: RunProgress? = nil
    /// Calls other workers of a fleet are making now; nil on one machine.
    var claims: (any CallClaims)? = nil

    func execute(_ call: SummaryCall, summarizer: any Summarizer) async throws -> CallOutcome {
        spend.use(call.key)
        let answer = try await inFlight.run(call.key) {
            if let stored = try await stored(call.key) { return .found(stored) }
            return try await makeOnce(call, summarizer: summarizer)
        }
        switch answer {
        case .made(let summary):
            return CallOutcome(summary: summary, reused: false)
        case .found(let summary):
            // The store held it, or another document's identical call answered it: reused.
            spend.reused()
            await progress?.callReused()
            return CallOutcome(summary: summary, reused: true)
        }
    }

    /// The answer the store holds for `key`.
    private func stored(_ key: String) async throws -> Summary? {
        let found: StoredCall?
        do { found = try await store.call(key: key) } catch {
            // A store that cannot be read (damaged, its disk failing) would have every call paid again.
            gate.stopForStorage(error)
            throw error
        }
        guard let stored = found else { return nil }
        return Summary(
            text: stored.output, promptTokens: stored.promptTokens, completionTokens: stored.completionTokens,
            reasoningTokens: stored.reasoningTokens, cachedTokens: stored.cachedTokens, model: stored.model,
            truncated: stored.truncated, usageEstimated: stored.usageEstimated)
    }

    /// Makes the call unless another worker of the fleet is making it: then waits for its answer in the store.
    private func makeOnce(_ call: SummaryCall, summarizer: any Summarizer) async throws -> InFlightCalls.Answer {
        guard let claims else { return .made(try await make(call, summarizer: summarizer)) }
        while try await !claims.claim(call.key) {
            if let answer = try await stored(call.key) { return .found(answer) }
            try gate.check()
            try await Task.sleep(for: .milliseconds(200))
        }
        do {
            // Stored between this worker's look and its claim.
            let answer: InFlightCalls.Answer
            if let stored = try await stored(call.key) {
                answer = .found(stored)
            } else {
                answer = .made(try await make(call, summarizer: summarizer))
            }
            await claims.release(call.key)
            return answer
        } catch {
            await claims.release(call.key)
            throw error
        }
    }

    /// Makes the call in the shared pool, commits it to the store and counts it.
    private func make(_ call: SummaryCall, summarizer: any Summarizer) async throws -> Summary {
        let summary: Summary
        let priority = CallPriority(document: documentOrdinal, level: call.level)
        do {
            summary = try await pool.run(priority: priority) { [progress] in
                try gate.check()
                await progress?.callStarted()
                do {
                    return try await CallScope.$current.withValue(
                        CallScope(priority: priority, spend: spend, key: call.key, document: path)
                    ) {
                        try await summarizer.summarize(call.inputs, stage: call.stage, context: call.context)
                    }
                } catch {
                    await progress?.callFailed()
                    if Task.isCancelled { gate.noteAbandoned() }
                    throw error
                }
            }
        } catch let error as ChatAPIError where error.disposition == .stopRun {
            gate.stop(error.description, kind: error.code == .modelRetired ? .model : .account)
            throw error
        } catch let error as SchedulingError where error.code == .stopped {
            gate.stop(error.message)
            throw error
        }
        // A batch's answer costs the batch price; an online fallback in a batch run, the full price.
        let cost =
            config.cost(
                model: summary.model, prompt: summary.promptTokens, cached: summary.cachedTokens,
                completion: summary.completionTokens)
            * (summary.batched ? 1 - config.batch.discount : 1)
        await progress?.callEnded(prompt: summary.promptTokens, completion: summary.completionTokens, cost: cost)
        // Paid the moment the server answered: counted before the save, which may fail.
        if summary.batched { spend.batched() }
        spend.made(
            prompt: summary.promptTokens, completion: summary.completionTokens, reasoning: summary.reasoningTokens,
            cached: summary.cachedTokens, cost: cost,
            saved: config.cacheSavings(model: summary.model, cached: summary.cachedTokens),
            truncated: summary.truncated, estimated: summary.usageEstimated, requests: summary.requests)
        do {
            try await store.save(
                StoredCall(
                    key: call.key, stage: call.stage.rawValue, summarizer: summarizer.fingerprint, output: summary.text,
                    promptTokens: summary.promptTokens, completionTokens: summary.completionTokens,
                    reasoningTokens: summary.reasoningTokens, cachedTokens: summary.cachedTokens, model: summary.model,
                    truncated: summary.truncated,
                    usageEstimated: summary.usageEstimated, cost: cost, batch: summary.batched
                ), for: path)
        } catch {
            gate.stopForStorage(error)
            throw error
        }
        return summary
    }
}
