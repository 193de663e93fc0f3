import Chunking

/// The recursive map-reduce tree: summarize every chunk, then summaries of summaries, until one remains.
///
/// Each level's summaries are packed greedily, in order, into groups that fit the input budget; a
/// level whose output is not smaller than its input stops the document (DESIGN invariant 3), and
/// so does a tree deeper than `maxLevels`. The single call at the top uses the `final` stage.
public struct MapReduce: Sendable {
    /// The most input tokens one call may carry.
    public var budget: Int
    public var estimator: TokenEstimator
    /// The most levels a tree may have, map level included.
    public var maxLevels: Int

    public init(budget: Int, estimator: TokenEstimator = TokenEstimator(), maxLevels: Int = 8) {
        self.budget = budget
        self.estimator = estimator
        self.maxLevels = maxLevels
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
    }

    /// A chapter's own summary, one level of the tree.
    public struct ChapterSummary: Sendable, Hashable {
        /// The chapter's heading; empty for text before the first chapter.
        public var title: String
        public var text: String
        public var pages: ClosedRange<Int>?
    }

    /// Summarizes one document's chunks through `executor`.
    ///
    /// When the chunks name chapters, each chapter is first summarized on its own (its chunks, then
    /// summaries of them, until one remains), and the document summary is made from the chapter
    /// summaries: the recipe "summarize each chapter, then the summaries".
    /// - Throws: ``SummarizationError`` for no text, a level that does not shrink or a tree too deep;
    ///   errors of the executor pass through.
    public func summarize(documentID: String, title: String, language: Language = .english, chunks: [Chunk],
                          summarizer: any Summarizer, executor: any CallExecutor) async throws -> Result {
        guard !chunks.isEmpty else { throw SummarizationError(.noText, "the document has no text to summarize") }
        var tally = Result(summary: Summary(text: ""), levels: 0, callsMade: 0, callsReused: 0, promptTokens: 0, completionTokens: 0)
        let tree = Tree(fingerprint: summarizer.fingerprint, documentID: documentID, title: title, language: language,
                        summarizer: summarizer, executor: executor)
        let runs = Self.chapters(of: chunks)
        guard runs.count >= 2 else {
            let groups = chunks.map { (inputs: [$0.text], headingPath: $0.headingPath) }
            return try await climb(groups, inputTokens: chunks.reduce(0) { $0 + $1.tokens }, tree: tree, tally: tally)
        }
        // Level 0 maps every chunk of every chapter at once; then each chapter reduces on its own, in lockstep.
        let maps = chunks.map { tree.call(.map, inputs: [$0.text], headingPath: $0.headingPath, level: 0, estimator: estimator) }
        let mapped = try await run(maps, tree: tree, tally: &tally)
        var texts: [[String]] = []
        var offset = 0
        for run in runs {
            texts.append(mapped[offset..<offset + run.chunks.count].map(\.summary.text))
            offset += run.chunks.count
        }
        var inputTokens = runs.map { $0.chunks.reduce(0) { $0 + $1.tokens } }
        while texts.contains(where: { $0.count > 1 }) {
            guard tally.levels < maxLevels else { throw tooDeep }
            var calls: [SummaryCall] = []
            var owners: [Int] = []
            for (index, chapter) in texts.enumerated() where chapter.count > 1 {
                for group in pack(chapter) {
                    calls.append(tree.call(.reduce, inputs: group, headingPath: [runs[index].title], level: tally.levels, estimator: estimator))
                    owners.append(index)
                }
            }
            let outcomes = try await run(calls, tree: tree, tally: &tally)
            var next = texts.map { $0.count > 1 ? [String]() : $0 }
            for (owner, outcome) in zip(owners, outcomes) { next[owner].append(outcome.summary.text) }
            for index in texts.indices where texts[index].count > 1 {
                let output = estimator.estimate(next[index])
                guard output < inputTokens[index] else {
                    throw SummarizationError(.doesNotConverge, "chapter '\(runs[index].title)' did not shrink at level \(tally.levels) (\(inputTokens[index]) → \(output) tokens)")
                }
                inputTokens[index] = output
            }
            texts = next
        }
        tally.chapters = zip(runs, texts).map { run, texts in
            let pages = run.chunks.compactMap(\.pages)
            return ChapterSummary(title: run.title, text: texts[0], pages: pages.first.map { $0.lowerBound...pages.last!.upperBound })
        }
        let summaries = tally.chapters.map(\.text)
        return try await climb(pack(summaries).map { ($0, []) }, inputTokens: estimator.estimate(summaries), tree: tree, tally: tally)
    }

    /// Consecutive chunks of one chapter, when the chunker cut the document by chapters.
    static func chapters(of chunks: [Chunk]) -> [(title: String, chunks: [Chunk])] {
        guard chunks.allSatisfy({ $0.chapter != nil }) else { return [] }
        var runs: [(title: String, chunks: [Chunk])] = []
        for chunk in chunks {
            if runs.last?.title == chunk.chapter { runs[runs.count - 1].chunks.append(chunk) } else { runs.append((chunk.chapter!, [chunk])) }
        }
        return runs
    }

    /// What every call of one document's tree shares.
    struct Tree {
        var fingerprint: String
        var documentID: String
        var title: String
        var language: Language
        var summarizer: any Summarizer
        var executor: any CallExecutor

        func call(_ stage: Stage, inputs: [String], headingPath: [String], level: Int, estimator: TokenEstimator) -> SummaryCall {
            SummaryCall(fingerprint: fingerprint, stage: stage, inputs: inputs,
                        context: SummaryContext(title: title, headingPath: headingPath, language: language),
                        documentID: documentID, level: level, estimatedTokens: estimator.estimate(inputs))
        }
    }

    private var tooDeep: SummarizationError {
        SummarizationError(.tooDeep, "the summary tree passed \(maxLevels) levels; raise max_levels or the chunk budget")
    }

    /// Reduces groups level by level until one summary remains, the top call being `final`.
    private func climb(_ first: [(inputs: [String], headingPath: [String])], inputTokens firstTokens: Int, tree: Tree,
                       tally initial: Result) async throws -> Result {
        var tally = initial
        var groups = first
        var inputTokens = firstTokens
        while true {
            let level = tally.levels
            guard level < maxLevels else { throw tooDeep }
            let stage: Stage = groups.count == 1 ? .final : (level == 0 ? .map : .reduce)
            let calls = groups.map { tree.call(stage, inputs: $0.inputs, headingPath: level == 0 ? $0.headingPath : [], level: level, estimator: estimator) }
            let outcomes = try await run(calls, tree: tree, tally: &tally)
            if stage == .final {
                tally.summary = outcomes[0].summary
                return tally
            }
            let texts = outcomes.map(\.summary.text)
            let outputTokens = estimator.estimate(texts)
            guard outputTokens < inputTokens else {
                throw SummarizationError(.doesNotConverge, "level \(level + 1) did not shrink the text (\(inputTokens) → \(outputTokens) tokens)")
            }
            inputTokens = outputTokens
            groups = pack(texts).map { ($0, []) }
        }
    }

    /// Runs one level's calls and counts them as a level.
    private func run(_ calls: [SummaryCall], tree: Tree, tally: inout Result) async throws -> [CallOutcome] {
        let outcomes = try await run(calls, summarizer: tree.summarizer, executor: tree.executor)
        tally.levels += 1
        for outcome in outcomes {
            if outcome.reused {
                tally.callsReused += 1
            } else {
                tally.callsMade += 1
                tally.promptTokens += outcome.summary.promptTokens
                tally.completionTokens += outcome.summary.completionTokens
            }
        }
        return outcomes
    }

    /// Packs summaries, in order, into groups that fit the budget; a summary too big alone is split.
    func pack(_ texts: [String]) -> [[String]] {
        var groups: [[String]] = []
        var current: [String] = []
        var tokens = 0
        let splitter = Chunker(budget: budget, estimator: estimator)
        for text in texts {
            let pieces = estimator.estimate(text) > budget ? splitter.chunks(of: text).map(\.text) : [text]
            for piece in pieces {
                // One token for the separator the summarizer puts between inputs.
                let cost = estimator.estimate(piece) + 1
                if !current.isEmpty && tokens + cost > budget {
                    groups.append(current)
                    current = []
                    tokens = 0
                }
                current.append(piece)
                tokens += cost
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    private func run(_ calls: [SummaryCall], summarizer: any Summarizer, executor: any CallExecutor) async throws -> [CallOutcome] {
        try await withThrowingTaskGroup(of: (Int, CallOutcome).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask {
                    let outcome = try await executor.execute(call, summarizer: summarizer)
                    guard outcome.summary.text.contains(where: { !$0.isWhitespace }) else {
                        throw SummarizationError(.summarizerFailed, "the \(call.stage.rawValue) call returned an empty summary")
                    }
                    return (index, outcome)
                }
            }
            // A failed call does not cancel its siblings: what is in flight finishes and is stored,
            // so a rerun never pays for it again. The first failure is reported once all are done.
            var outcomes = [CallOutcome?](repeating: nil, count: calls.count)
            var firstError: (any Error)?
            while let result = await group.nextResult() {
                switch result {
                case .success(let (index, outcome)): outcomes[index] = outcome
                case .failure(let error): firstError = firstError ?? error
                }
            }
            if let firstError { throw firstError }
            return outcomes.map { $0! }
        }
    }
}
