/// Carries out a tree's calls: looks each key up, and otherwise schedules and stores the call.
///
/// The map-reduce tree only decides which calls to make; the executor decides how. The pipeline's
/// executor consults the checkpoint store and the shared pool; tests use one that counts.
public protocol CallExecutor: Sendable {
    /// The summary for `call`, reused when its key is already stored.
    func execute(_ call: SummaryCall, summarizer: any Summarizer) async throws -> CallOutcome
}

/// A finished call and whether it was reused rather than made.
public struct CallOutcome: Sendable {
    public var summary: Summary
    public var reused: Bool
    /// For a call too long for its model, answered by splitting its input: the calls that took,
    /// made and reused; `summary`'s token counts are theirs together.
    public var parts: (made: Int, reused: Int)?

    public init(summary: Summary, reused: Bool, parts: (made: Int, reused: Int)? = nil) {
        self.summary = summary
        self.reused = reused
        self.parts = parts
    }
}
