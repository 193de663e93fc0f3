import Summarization

extension PipelineConfig {
    /// How each document's chunks become its summary (the pipeline's `strategy:`).
    public enum Strategy: String, Sendable, Hashable, Codable, CaseIterable {
        /// Summarize every chunk, then the summaries, until one remains.
        case mapReduce = "map-reduce"
        /// Pick the document's most central sentences, within `extract_tokens`, and have the model
        /// write the summary from them in one call; books and documents one call holds take the tree.
        case extractAbstract = "extract-abstract"
    }

    /// The strategy an estimate prices beside the pipeline's own.
    var otherStrategy: Strategy {
        strategy == .mapReduce ? .extractAbstract : .mapReduce
    }

    /// The extract's size when the pipeline gives none: about a tenth of a long paper, a third of
    /// what its map level reads, and an input a small model still reads well.
    public static let defaultExtractTokens = 2_000

    /// The fingerprint's part for the strategy: nothing for map-reduce, so the pages of pipelines
    /// written before strategies existed stay current.
    var strategyFingerprint: String {
        switch strategy {
        case .mapReduce: ""
        case .extractAbstract: "|strategy=extract-abstract@\(extractTokens ?? Self.defaultExtractTokens)"
        }
    }
}
