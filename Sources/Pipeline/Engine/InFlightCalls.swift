import Summarization

/// The calls being made right now, by key, so that the same call wanted twice at once is made once.
///
/// Two copies of a file, or two documents that share a passage, reach the same key at the same
/// moment; both find it missing from the store. The second waits for the first's answer instead of
/// paying for it again.
actor InFlightCalls {
    private var running: [String: Task<Summary, any Error>] = [:]

    /// The answer of `make` for `key`, or of the call with that key already running, or, when one
    /// finished since the caller looked, the stored answer `stored` finds; `shared` says the answer
    /// was another caller's.
    func run(_ key: String, stored: @Sendable () throws -> Summary?,
             _ make: @escaping @Sendable () async throws -> Summary) async throws -> (summary: Summary, shared: Bool) {
        if let leader = running[key] { return (try await leader.value, true) }
        // A leader leaves only after committing its answer, so a key neither running nor stored is new.
        if let answer = try stored() { return (answer, true) }
        let task = Task { try await make() }
        running[key] = task
        defer { running[key] = nil }
        // The call runs in a task of its own so that followers can await it; cancelling the leader
        // (an abandoned run) cancels it.
        let summary = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        return (summary, false)
    }
}
