/// Something that condenses texts into a summary: a model behind a chat API, or the extractive ranker.
public protocol Summarizer: Sendable {
    /// Everything that changes this summarizer's output for the same input: its id, the model,
    /// the prompt templates and the sampling parameters. It is part of every call key.
    var fingerprint: String { get }

    /// The most tokens a summary at `stage` may hold, which sizes the reduce groups.
    func maxOutputTokens(for stage: Stage) -> Int

    /// Whether the summarizer reads ``SummaryContext/preceding``; when not, none is carried, so
    /// neither the call keys nor the chunk budget pay for it.
    var readsContext: Bool { get }

    /// Summarizes `inputs`, read in order as one text, for `stage`.
    func summarize(_ inputs: [String], stage: Stage, context: SummaryContext) async throws -> Summary
}

extension Summarizer {
    public var readsContext: Bool { true }
}
