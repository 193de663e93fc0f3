import Chunking
import Ingest
import Summarization

extension Engine {
    /// The summary tree a pipeline grows on this engine; a run and an estimate both use it, so
    /// the estimate's calls are the run's.
    func tree(_ config: PipelineConfig) -> MapReduce {
        MapReduce(budget: budget, estimator: estimator, maxLevels: config.maxLevels, context: config.context)
    }

    /// How a pipeline turns each document's chunks into its summary on this engine.
    /// - Parameter kind: another strategy than the pipeline's, for an estimate that prices both.
    func strategy(_ config: PipelineConfig, as kind: PipelineConfig.Strategy? = nil) -> any DocumentStrategy {
        switch kind ?? config.strategy {
        case .mapReduce: tree(config)
        case .extractAbstract:
            ExtractAbstract(
                extractTokens: config.extractTokens ?? PipelineConfig.defaultExtractTokens, mapReduce: tree(config))
        }
    }

    /// A document's chunks as `tree` reads them: the call budget less the room carried context takes.
    func chunks(of document: Document, tree: any DocumentStrategy) -> [Chunk] {
        let sections = document.parts.map { Section(text: $0.text, page: $0.page, headingPath: $0.headingPath) }
        return Chunker(budget: tree.chunkBudget(for: summarizer), estimator: estimator).chunks(of: sections)
    }
}
