import Chunking

/// Extract-then-abstract: the sentence ranker picks a document's most central sentences, in
/// document order under their section headings, within a budget one call holds, and the model
/// writes the summary from them in that one call.
///
/// A map-reduce tree pays for every token of the document and then for its summaries; this pays
/// for the extract alone, and a small model reads a short, dense input better than a long one.
/// The document arrives in small pieces (``pieceTokens``), cut at its headings and paragraphs, so
/// each sentence knows its section: every section's opening counts as the document's does, and the
/// extract shows the headings. A document one call holds whole is read whole. One longer than
/// ``span`` (a book) is read in parts, its chapters or else runs of consecutive pieces: each part's
/// extract is summarized on its own and the part summaries are merged as the tree merges summaries.
public struct ExtractAbstract: DocumentStrategy {
    /// The most tokens an extract may hold; the call budget caps it.
    public var extractTokens: Int
    /// The tree for documents one call holds, the merge of a long document's parts, and the
    /// budget and estimator of every call.
    public var mapReduce: MapReduce
    /// The ranker's settings: which sentences may be picked and what each costs.
    var picker: ExtractiveSummarizer

    /// Source tokens one extract may stand for, in extracts: beyond it a document is read in parts.
    public static let partsPerExtract = 24

    public init(extractTokens: Int, mapReduce: MapReduce) {
        self.extractTokens = extractTokens
        self.mapReduce = mapReduce
        self.picker = ExtractiveSummarizer(estimator: mapReduce.estimator)
    }

    /// The tokens an extract gets: the setting, within one call's budget.
    public var room: Int { max(1, min(extractTokens, mapReduce.budget)) }

    /// The most source tokens one extract stands for.
    public var span: Int { room * Self.partsPerExtract }

    /// The size of the pieces a document is cut in for the ranker: a section or a few paragraphs.
    public static let pieceTokens = 256

    public func chunkBudget(for summarizer: any Summarizer) -> Int {
        min(Self.pieceTokens, mapReduce.chunkBudget(for: summarizer))
    }

    public func summarize(
        documentID: String, title: String, language: Language, chunks: [Chunk],
        summarizer: any Summarizer, executor: any CallExecutor
    ) async throws -> MapReduce.Result {
        guard !chunks.isEmpty else { throw SummarizationError(.noText, "the document has no text to summarize") }
        var tally = MapReduce.Result(
            summary: Summary(text: ""), levels: 0, callsMade: 0, callsReused: 0, promptTokens: 0, completionTokens: 0)
        let tree = MapReduce.Tree(
            fingerprint: summarizer.fingerprint, documentID: documentID, title: title, language: language,
            summarizer: summarizer, executor: executor)
        if mapReduce.estimator.estimate(chunks.map(\.text)) + chunks.count <= mapReduce.chunkBudget(for: summarizer) {
            // One call holds the whole document: it reads all of it, as under map-reduce.
            let whole = MapReduce.Spec(
                stage: .final, inputs: [chunks.map(\.text).joined(separator: "\n\n")], headingPath: [], level: 0,
                chain: 0)
            tally.summary = try await mapReduce.run([whole], tree: tree, tally: &tally)[0].summary
            return tally
        }
        let parts = self.parts(of: chunks)
        let stage: Stage = parts.count == 1 ? .final : .map
        let specs = try parts.map { part in
            let extract = self.extract(of: part.chunks)
            guard !extract.isEmpty else { throw SummarizationError(.noText, "the document has no text to summarize") }
            return MapReduce.Spec(
                stage: stage, inputs: [extract], headingPath: mapReduce.headings(part.title.map { [$0] } ?? []),
                level: 0, chain: 0)
        }
        let outcomes = try await mapReduce.run(specs, tree: tree, tally: &tally)
        if stage == .final {
            tally.summary = outcomes[0].summary
            return tally
        }
        tally.chapters = zip(parts, outcomes).compactMap { part, outcome in
            part.title.map {
                MapReduce.ChapterSummary(title: $0, text: outcome.summary.text, pages: MapReduce.pages(of: part.chunks))
            }
        }
        return try await mapReduce.climb(outcomes.map(\.summary.text), tree: tree, tally: tally)
    }

    /// What one extract each stands for: the whole document within ``span``; beyond it its
    /// chapters, or else runs of consecutive chunks of at most ``span`` tokens.
    func parts(of chunks: [Chunk]) -> [(title: String?, chunks: [Chunk])] {
        guard chunks.reduce(0, { $0 + $1.tokens }) > span else { return [(nil, chunks)] }
        let chapters = MapReduce.chapters(of: chunks)
        if chapters.count >= 2 { return chapters.map { ($0.title, $0.chunks) } }
        var runs: [(title: String?, chunks: [Chunk])] = []
        var tokens = 0
        for chunk in chunks {
            if runs.isEmpty || tokens + chunk.tokens > span {
                runs.append((nil, []))
                tokens = 0
            }
            runs[runs.count - 1].chunks.append(chunk)
            tokens += chunk.tokens
        }
        return runs
    }

    /// The most central sentences of `chunks` within ``room``, in document order, each run of
    /// them under the heading path of the section it comes from.
    public func extract(of chunks: [Chunk]) -> String {
        var sentences: [String] = []
        var sections: [[String]] = []
        var numbers: [Int] = []
        var section = -1
        var previous: [String]?
        for chunk in chunks {
            if chunk.headingPath != previous {
                section += 1
                previous = chunk.headingPath
            }
            for sentence in SentenceSplitter.sentences(in: chunk.text) {
                sentences.append(sentence)
                sections.append(chunk.headingPath)
                numbers.append(section)
            }
        }
        guard !sentences.isEmpty else { return "" }
        // Headings cost room too: pick again with less until the extract with them fits.
        var budget = room
        var text = ""
        for _ in 0..<4 {
            text = render(
                picker.pick(sentences, target: budget, sections: numbers), sentences: sentences, sections: sections)
            let over = mapReduce.estimator.estimate(text) - room
            guard over > 0, budget > over else { break }
            budget -= over
        }
        return text
    }

    /// The picked sentences, joined within a section and headed by its path where it changes.
    private func render(_ picked: [Int], sentences: [String], sections: [[String]]) -> String {
        var blocks: [(heading: [String], sentences: [String])] = []
        for index in picked {
            if let last = blocks.last, last.heading == sections[index] {
                blocks[blocks.count - 1].sentences.append(sentences[index])
            } else {
                blocks.append((sections[index], [sentences[index]]))
            }
        }
        return blocks.map { block in
            let body = ExtractiveSummarizer.join(block.sentences)
            return block.heading.isEmpty ? body : "## " + block.heading.joined(separator: " › ") + "\n" + body
        }.joined(separator: "\n\n")
    }
}
