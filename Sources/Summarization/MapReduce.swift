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
    }

    /// Summarizes one document's chunks through `executor`.
    /// - Throws: ``SummarizationError`` for no text, a level that does not shrink or a tree too deep;
    ///   errors of the executor pass through.
    public func summarize(documentID: String, title: String, language: Language = .english, chunks: [Chunk],
                          summarizer: any Summarizer, executor: any CallExecutor) async throws -> Result {
        guard !chunks.isEmpty else { throw SummarizationError(.noText, "the document has no text to summarize") }
        var tally = Result(summary: Summary(text: ""), levels: 0, callsMade: 0, callsReused: 0, promptTokens: 0, completionTokens: 0)
        let fingerprint = summarizer.fingerprint

        var groups: [(inputs: [String], headingPath: [String])] = chunks.map { ([$0.text], $0.headingPath) }
        var inputTokens = chunks.reduce(0) { $0 + $1.tokens }
        while true {
            let level = tally.levels
            guard level < maxLevels else {
                throw SummarizationError(.tooDeep, "the summary tree passed \(maxLevels) levels; raise max_levels or the chunk budget")
            }
            let stage: Stage = groups.count == 1 ? .final : (level == 0 ? .map : .reduce)
            let calls = groups.map { group in
                SummaryCall(fingerprint: fingerprint, stage: stage, inputs: group.inputs,
                            context: SummaryContext(title: title, headingPath: level == 0 ? group.headingPath : [], language: language),
                            documentID: documentID, level: level, estimatedTokens: estimator.estimate(group.inputs))
            }
            let outcomes = try await run(calls, summarizer: summarizer, executor: executor)
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
