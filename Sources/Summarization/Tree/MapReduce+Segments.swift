import Chunking

extension MapReduce {
    /// Summarizes a document that arrives a segment of chunks at a time, for a file too large to
    /// hold: each segment's chunks are mapped, only their summaries, headings and sizes are kept,
    /// and the tree above grows as it does for a document given whole.
    ///
    /// The map level runs one segment at a time, its calls side by side, so no more than one
    /// segment's text is held at once. The context goes on across segments: under `headings` a
    /// segment's first chunk carries the end of the chunk before it, under `previous` the chain
    /// carries the last summary of the segment before.
    /// - Parameter next: the next segment's chunks, nil after the last.
    public func summarize(
        documentID: String, title: String, language: Language = .english,
        segments next: () async throws -> [Chunk]?,
        summarizer: any Summarizer, executor: any CallExecutor
    ) async throws -> Result {
        var tally = Result(
            summary: Summary(text: ""), levels: 0, callsMade: 0, callsReused: 0, promptTokens: 0, completionTokens: 0)
        let tree = Tree(
            fingerprint: summarizer.fingerprint, documentID: documentID, title: title, language: language,
            summarizer: summarizer, executor: executor)
        var kept: [Chunk] = []
        var mapped: [String] = []
        var tail: String?
        while let segment = try await next(), !segment.isEmpty {
            let maps = segment.enumerated().map { index, chunk in
                Spec(
                    stage: .map, inputs: [chunk.text], headingPath: headings(chunk.headingPath), level: 0, chain: 0,
                    tail: index > 0 ? segment[index - 1].text : tail)
            }
            let outcomes = try await run(maps, tree: tree, tally: &tally, after: mapped.last)
            // One map level, however many segments it took.
            tally.levels = 1
            mapped += outcomes.map(\.summary.text)
            tail = segment.last?.text
            for var chunk in segment {
                chunk.index = kept.count
                chunk.text = ""
                kept.append(chunk)
            }
        }
        guard !kept.isEmpty else { throw SummarizationError(.noText, "the document has no text to summarize") }
        return try await grow(above: kept, mapped: mapped, runs: Self.chapters(of: kept), tree: tree, tally: tally)
    }
}
