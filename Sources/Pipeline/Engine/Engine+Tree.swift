import Chunking
import Ingest
import Summarization

extension Engine {
    /// The summary tree a pipeline grows on this engine; a run and an estimate both use it, so
    /// the estimate's calls are the run's.
    func tree(_ config: PipelineConfig) -> MapReduce {
        MapReduce(budget: budget, estimator: estimator, maxLevels: config.maxLevels, context: config.context)
    }

    /// A document's chunks as `tree` reads them: the call budget less the room carried context takes.
    func chunks(of document: Document, tree: MapReduce) -> [Chunk] {
        let sections = document.parts.map { Section(text: $0.text, page: $0.page, headingPath: $0.headingPath) }
        return Chunker(budget: tree.chunkBudget(for: summarizer), estimator: estimator).chunks(of: sections)
    }
}
