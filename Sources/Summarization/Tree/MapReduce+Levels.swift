import Chunking

extension MapReduce {
    /// What every call of one tree shares.
    struct Tree {
        var fingerprint: String
        var documentID: String
        var title: String
        var language: Language
        var summarizer: any Summarizer
        var executor: any CallExecutor

        /// Whether the calls carry context at all: a summarizer that reads none gets none.
        var carries: Bool { summarizer.readsContext }
    }

    /// A call to make, before the context it carries is known.
    struct Spec {
        var stage: Stage
        var inputs: [String]
        var headingPath: [String]
        var level: Int
        /// Calls of one chain run in order under `context: previous`, each carrying the one before's summary.
        var chain: Int
        /// The preceding chunk's text, whose end a map call carries under `context: headings`.
        var tail: String? = nil
    }

    /// Runs one level's calls and counts them as a level.
    ///
    /// Under `previous`, each chain runs in order and chains run side by side; otherwise every call
    /// runs at once. A failed call does not cancel the others: what is in flight finishes and is
    /// stored, so a rerun never pays for it again. The first failure is thrown once all are done.
    /// - Parameter previous: the summary a chain's first call carries under `previous`, for a
    ///   level run in parts (a large document's map level, a segment at a time).
    func run(_ specs: [Spec], tree: Tree, tally: inout Result, after previous: String? = nil) async throws
        -> [CallOutcome]
    {
        let chained = context == .previous && tree.carries
        var chains: [[Int]] = []
        if chained {
            var byChain: [Int: Int] = [:]
            for (index, spec) in specs.enumerated() {
                if let at = byChain[spec.chain] {
                    chains[at].append(index)
                } else {
                    byChain[spec.chain] = chains.count
                    chains.append([index])
                }
            }
        } else {
            chains = specs.indices.map { [$0] }
        }
        let outcomes = try await withThrowingTaskGroup(of: [(Int, CallOutcome)].self) { group in
            for chain in chains {
                group.addTask {
                    var done: [(Int, CallOutcome)] = []
                    var previous = previous
                    for index in chain {
                        let outcome = try await self.execute(specs[index], previous: previous, tree: tree)
                        guard outcome.summary.text.contains(where: { !$0.isWhitespace }) else {
                            throw SummarizationError(
                                .summarizerFailed, "the \(specs[index].stage.rawValue) call returned an empty summary")
                        }
                        done.append((index, outcome))
                        previous = outcome.summary.text
                    }
                    return done
                }
            }
            var outcomes = [CallOutcome?](repeating: nil, count: specs.count)
            var firstError: (any Error)?
            while let result = await group.nextResult() {
                switch result {
                case .success(let done): for (index, outcome) in done { outcomes[index] = outcome }
                case .failure(let error): firstError = firstError ?? error
                }
            }
            if let firstError { throw firstError }
            return outcomes.map { $0! }
        }
        tally.levels += 1
        for outcome in outcomes {
            if let model = outcome.summary.model, !tally.models.contains(model) { tally.models.append(model) }
            if let parts = outcome.parts {
                tally.callsMade += parts.made
                tally.callsReused += parts.reused
                tally.promptTokens += outcome.summary.promptTokens
                tally.completionTokens += outcome.summary.completionTokens
            } else if outcome.reused {
                tally.callsReused += 1
            } else {
                tally.callsMade += 1
                tally.promptTokens += outcome.summary.promptTokens
                tally.completionTokens += outcome.summary.completionTokens
            }
        }
        return outcomes
    }

    /// The call for `spec`, with the context the tree's mode gives it.
    func call(_ spec: Spec, previous: String?, tree: Tree) -> SummaryCall {
        var carried: SummaryContext.Carried?
        if tree.carries {
            let room = context.carriedTokens(budget: budget)
            switch context {
            case .none: break
            case .headings:
                if let tail = spec.tail {
                    carried = .init(kind: .tail, text: ContextMode.tail(of: tail, tokens: room, estimator: estimator))
                }
            case .previous:
                if let previous {
                    carried = .init(
                        kind: .summary, text: ContextMode.tail(of: previous, tokens: room, estimator: estimator))
                }
            }
        }
        if carried?.text.isEmpty == true { carried = nil }
        let context = SummaryContext(
            title: tree.title, headingPath: spec.headingPath, language: tree.language, preceding: carried)
        return SummaryCall(
            fingerprint: tree.fingerprint, stage: spec.stage, inputs: spec.inputs, context: context,
            documentID: tree.documentID, level: spec.level,
            estimatedTokens: estimator.estimate(spec.inputs) + (carried.map { estimator.estimate($0.text) } ?? 0))
    }

    /// Packs summaries, in order, into groups that fit the budget (less the room a carried summary
    /// needs); a summary too big alone is split.
    func pack(_ texts: [String], tree: Tree? = nil) -> [[String]] {
        let room = tree?.carries == true && context == .previous ? budget - context.reserve(budget: budget) : budget
        var groups: [[String]] = []
        var current: [String] = []
        var tokens = 0
        let splitter = Chunker(budget: room, estimator: estimator)
        for text in texts {
            let pieces = estimator.estimate(text) > room ? splitter.chunks(of: text).map(\.text) : [text]
            for piece in pieces {
                // One token for the separator the summarizer puts between inputs.
                let cost = estimator.estimate(piece) + 1
                if !current.isEmpty && tokens + cost > room {
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
}
