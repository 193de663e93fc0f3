import Chunking

/// How a document's chunks become its summary: the recursive map-reduce tree (``MapReduce``), or
/// an extract of its most central sentences that a model writes the summary from (``ExtractAbstract``).
///
/// A run and an estimate both take their strategy from the pipeline's `strategy:`, so an estimate
/// prices the calls the run will make.
public protocol DocumentStrategy: Sendable {
    /// The most tokens of source text one chunk may hold for `summarizer`.
    func chunkBudget(for summarizer: any Summarizer) -> Int

    /// Summarizes one document's chunks through `executor`.
    /// - Throws: ``SummarizationError`` for no text or a tree that does not converge; errors of the
    ///   executor pass through.
    func summarize(
        documentID: String, title: String, language: Language, chunks: [Chunk],
        summarizer: any Summarizer, executor: any CallExecutor
    ) async throws -> MapReduce.Result
}

extension MapReduce: DocumentStrategy {}
