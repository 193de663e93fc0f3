import Checkpoint
import Scheduling
import Summarization

/// Runs a document's calls: reuses a stored call by key, else runs it in the shared pool and
/// commits it before returning it, so nothing depends on a call the store does not hold.
struct StoreExecutor: CallExecutor {
    let store: CheckpointStore
    let pool: WorkPool
    /// The order the document was opened in, for the pool's priority.
    let documentOrdinal: Int

    func execute(_ call: SummaryCall, summarizer: any Summarizer) async throws -> CallOutcome {
        if let stored = try store.call(key: call.key) {
            return CallOutcome(
                summary: Summary(text: stored.output, promptTokens: stored.promptTokens, completionTokens: stored.completionTokens),
                reused: true
            )
        }
        let summary = try await pool.run(priority: CallPriority(document: documentOrdinal, level: call.level)) {
            try await summarizer.summarize(call.inputs, stage: call.stage, context: call.context)
        }
        try store.save(StoredCall(
            key: call.key, stage: call.stage.rawValue, summarizer: summarizer.fingerprint, output: summary.text,
            promptTokens: summary.promptTokens, completionTokens: summary.completionTokens
        ))
        return CallOutcome(summary: summary, reused: false)
    }
}
