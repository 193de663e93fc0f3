import Summarization

/// The calls being made right now, by key, so that the same call wanted twice at once is made once.
///
/// Two copies of a file, or two documents that share a passage, reach the same key at the same
/// moment; both find it missing from the store. The second waits for the first's answer instead of
/// paying for it again.
actor InFlightCalls {
    /// Where a call's answer came from.
    enum Answer: Sendable {
        /// This caller made the call and committed it.
        case made(Summary)
        /// The answer was already there: in the store, or another caller's, made while this one waited.
        case found(Summary)

        var summary: Summary {
            switch self {
            case .made(let summary), .found(let summary): summary
            }
        }
    }

    private var running: [String: Task<Answer, any Error>] = [:]

    /// The answer `answer` gives for `key`, or that of the caller already answering it, as found.
    ///
    /// The leader is registered before anything suspends, so a second caller can never start the
    /// same key while the first looks in the store.
    func run(_ key: String, _ answer: @escaping @Sendable () async throws -> Answer) async throws -> Answer {
        if let leader = running[key] { return .found(try await leader.value.summary) }
        let task = Task { try await answer() }
        running[key] = task
        defer { running[key] = nil }
        // The call runs in a task of its own so that followers can await it; cancelling the leader
        // (an abandoned run) cancels it.
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
