import Chunking

/// The recursive map-reduce tree: summarize every chunk, then summaries of summaries, until one remains.
///
/// Each level's summaries are packed greedily, in order, into groups that fit the input budget; a
/// level whose output is not smaller than its input stops the document (DESIGN invariant 3), and
/// so does a tree deeper than `maxLevels`. The single call at the top uses the `final` stage.
public struct MapReduce: Sendable {
    /// The most input tokens one call may carry, carried context included.
    public var budget: Int
    public var estimator: TokenEstimator
    /// The most levels a tree may have, map level included.
    public var maxLevels: Int
    /// What each call is told about the text around its inputs.
    public var context: ContextMode

    public init(
        budget: Int, estimator: TokenEstimator = TokenEstimator(), maxLevels: Int = 8, context: ContextMode = .headings
    ) {
        self.budget = budget
        self.estimator = estimator
        self.maxLevels = maxLevels
        self.context = context
    }

    /// What a tree produced and what it cost.
    public struct Result: Sendable {
        public var summary: Summary
        /// Levels in the tree, map level included.
        public var levels: Int
        public var callsMade: Int
        public var callsReused: Int
        /// Tokens of the calls made, not reused, in this run.
        public var promptTokens: Int
        public var completionTokens: Int
        /// One summary per chapter, in order, when the document was summarized chapter by chapter.
        public var chapters: [ChapterSummary] = []
        /// One summary per chunk, in order, when the document had no chapters and more than one chunk.
        public var sections: [ChapterSummary] = []
        /// The models that answered, in the order first seen.
        public var models: [String] = []
    }

    /// A chapter's or a section's own summary.
    public struct ChapterSummary: Sendable, Hashable {
        /// The chapter's heading, or the section's heading path; empty for text before the first heading.
        public var title: String
        public var text: String
        public var pages: ClosedRange<Int>?
    }

    /// The most tokens of source text one chunk may hold for `summarizer`: the call budget less
    /// the room the carried context needs.
    public func chunkBudget(for summarizer: any Summarizer) -> Int {
        summarizer.readsContext ? budget - context.reserve(budget: budget) : budget
    }

    /// Summarizes one document's chunks through `executor`.
    ///
    /// When the chunks name chapters, each chapter is first summarized on its own (its chunks, then
    /// summaries of them, until one remains), and the document summary is made from the chapter
    /// summaries: the recipe "summarize each chapter, then the summaries".
    /// - Throws: ``SummarizationError`` for no text, a level that does not shrink or a tree too deep;
    ///   errors of the executor pass through.
    public func summarize(
        documentID: String, title: String, language: Language = .english, chunks: [Chunk],
        summarizer: any Summarizer, executor: any CallExecutor
    ) async throws -> Result {
        guard !chunks.isEmpty else { throw SummarizationError(.noText, "the document has no text to summarize") }
        var tally = Result(
            summary: Summary(text: ""), levels: 0, callsMade: 0, callsReused: 0, promptTokens: 0, completionTokens: 0)
        let tree = Tree(
            fingerprint: summarizer.fingerprint, documentID: documentID, title: title, language: language,
            summarizer: summarizer, executor: executor)
        let runs = Self.chapters(of: chunks)
        // Level 0 maps every chunk at once (or in one chain, under `previous`).
        let maps = chunks.enumerated().map { index, chunk in
            Spec(
                stage: chunks.count == 1 ? .final : .map, inputs: [chunk.text],
                headingPath: headings(chunk.headingPath),
                level: 0, chain: 0, tail: index > 0 ? chunks[index - 1].text : nil)
        }
        let mapped = try await run(maps, tree: tree, tally: &tally).map(\.summary)
        if chunks.count == 1 {
            tally.summary = mapped[0]
            return tally
        }
        return try await grow(above: chunks, mapped: mapped.map(\.text), runs: runs, tree: tree, tally: tally)
    }

    /// The tree above a document's map level: chapter by chapter when its chunks name chapters,
    /// then summaries of summaries. Only the chunks' headings, pages and sizes are read.
    func grow(
        above chunks: [Chunk], mapped: [String], runs: [(title: String, chunks: [Chunk])], tree: Tree,
        tally initial: Result
    ) async throws -> Result {
        var tally = initial
        var summaries = mapped
        if runs.count >= 2 {
            tally.chapters = try await reduceChapters(runs, mapped: summaries, tree: tree, tally: &tally)
            summaries = tally.chapters.map(\.text)
        } else {
            tally.sections = zip(chunks, summaries).map {
                ChapterSummary(title: $0.headingPath.joined(separator: " › "), text: $1, pages: $0.pages)
            }
            try converged(summaries, from: chunks.reduce(0) { $0 + $1.tokens }, at: 0)
        }
        return try await climb(summaries, tree: tree, tally: tally)
    }

    /// Summarizes summaries (a folder's document summaries) into one, with the same convergence rules.
    public func summarize(
        summaries: [String], documentID: String, title: String, language: Language = .english,
        summarizer: any Summarizer, executor: any CallExecutor
    ) async throws -> Result {
        guard !summaries.isEmpty else { throw SummarizationError(.noText, "there are no summaries to combine") }
        let tally = Result(
            summary: Summary(text: ""), levels: 0, callsMade: 0, callsReused: 0, promptTokens: 0, completionTokens: 0)
        let tree = Tree(
            fingerprint: summarizer.fingerprint, documentID: documentID, title: title, language: language,
            summarizer: summarizer, executor: executor)
        return try await climb(summaries, tree: tree, tally: tally)
    }

    /// Reduces each chapter's map summaries on its own, in lockstep, until each has one.
    private func reduceChapters(
        _ runs: [(title: String, chunks: [Chunk])], mapped: [String], tree: Tree,
        tally: inout Result
    ) async throws -> [ChapterSummary] {
        var texts: [[String]] = []
        var offset = 0
        for run in runs {
            texts.append(Array(mapped[offset..<offset + run.chunks.count]))
            offset += run.chunks.count
        }
        var inputTokens = runs.map { $0.chunks.reduce(0) { $0 + $1.tokens } }
        while texts.contains(where: { $0.count > 1 }) {
            guard tally.levels < maxLevels else { throw tooDeep }
            var specs: [Spec] = []
            var owners: [Int] = []
            for (index, chapter) in texts.enumerated() where chapter.count > 1 {
                for group in pack(chapter, tree: tree) {
                    specs.append(
                        Spec(
                            stage: .reduce, inputs: group, headingPath: headings([runs[index].title]),
                            level: tally.levels, chain: index))
                    owners.append(index)
                }
            }
            let outcomes = try await run(specs, tree: tree, tally: &tally)
            var next = texts.map { $0.count > 1 ? [String]() : $0 }
            for (owner, outcome) in zip(owners, outcomes) { next[owner].append(outcome.summary.text) }
            for index in texts.indices where texts[index].count > 1 {
                let output = estimator.estimate(next[index])
                guard output < inputTokens[index] else {
                    throw SummarizationError(
                        .doesNotConverge,
                        "chapter '\(runs[index].title)' did not shrink at level \(tally.levels) (\(inputTokens[index]) → \(output) tokens)"
                    )
                }
                inputTokens[index] = output
            }
            texts = next
        }
        return zip(runs, texts).map { run, texts in
            ChapterSummary(title: run.title, text: texts[0], pages: Self.pages(of: run.chunks))
        }
    }

    /// The pages `chunks` span, first to last; nil when none has a page.
    static func pages(of chunks: [Chunk]) -> ClosedRange<Int>? {
        let pages = chunks.compactMap(\.pages)
        guard let first = pages.first, let last = pages.last else { return nil }
        return first.lowerBound...last.upperBound
    }

    /// Reduces summaries level by level until one remains, the top call being `final`.
    func climb(_ first: [String], tree: Tree, tally initial: Result) async throws -> Result {
        var tally = initial
        var texts = first
        while true {
            let level = tally.levels
            guard level < maxLevels else { throw tooDeep }
            let groups = pack(texts, tree: tree)
            let stage: Stage = groups.count == 1 ? .final : .reduce
            let specs = groups.map { Spec(stage: stage, inputs: $0, headingPath: [], level: level, chain: 0) }
            let outcomes = try await run(specs, tree: tree, tally: &tally)
            if stage == .final {
                tally.summary = outcomes[0].summary
                return tally
            }
            let next = outcomes.map(\.summary.text)
            try converged(next, from: estimator.estimate(texts), at: level)
            texts = next
        }
    }

    /// Stops a tree whose level did not shrink its text (DESIGN invariant 3).
    private func converged(_ output: [String], from inputTokens: Int, at level: Int) throws {
        let outputTokens = estimator.estimate(output)
        guard outputTokens < inputTokens else {
            throw SummarizationError(
                .doesNotConverge, "level \(level + 1) did not shrink the text (\(inputTokens) → \(outputTokens) tokens)"
            )
        }
    }

    /// The heading path a call gets: none under `context: none`.
    func headings(_ path: [String]) -> [String] {
        context == .none ? [] : path
    }

    /// Consecutive chunks of one chapter, when the chunker cut the document by chapters.
    static func chapters(of chunks: [Chunk]) -> [(title: String, chunks: [Chunk])] {
        guard chunks.allSatisfy({ $0.chapter != nil }) else { return [] }
        var runs: [(title: String, chunks: [Chunk])] = []
        for chunk in chunks {
            if runs.last?.title == chunk.chapter {
                runs[runs.count - 1].chunks.append(chunk)
            } else {
                runs.append((chunk.chapter!, [chunk]))
            }
        }
        return runs
    }

    var tooDeep: SummarizationError {
        SummarizationError(
            .tooDeep, "the summary tree passed \(maxLevels) levels; raise max_levels or the chunk budget")
    }
}
