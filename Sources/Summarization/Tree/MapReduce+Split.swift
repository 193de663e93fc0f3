import ChatAPI
import Chunking

extension MapReduce {
    /// Makes `spec`'s call. A call too long for its model (by the estimate, or by a server that
    /// counts more than the estimate and answers 400) has its input split in two: each half is
    /// summarized, then the halves' summaries at the call's own stage. A refused call costs nothing,
    /// so re-cutting it is free, and the split is found again, call by call, in the store on a rerun.
    /// A file fails for length only when a piece of a few dozen tokens still does not fit.
    func execute(_ spec: Spec, previous: String?, tree: Tree, depth: Int = 0) async throws -> CallOutcome {
        let call = self.call(spec, previous: previous, tree: tree)
        do {
            return try await tree.executor.execute(call, summarizer: tree.summarizer)
        } catch  where Self.isTooLong(error) {
            guard depth < 12, let halves = split(spec) else { throw error }
            var parts: [CallOutcome] = []
            if context == .previous && tree.carries {
                var carried = previous
                for half in halves {
                    let outcome = try await execute(half, previous: carried, tree: tree, depth: depth + 1)
                    parts.append(outcome)
                    carried = outcome.summary.text
                }
            } else {
                async let first = execute(halves[0], previous: previous, tree: tree, depth: depth + 1)
                async let second = execute(halves[1], previous: previous, tree: tree, depth: depth + 1)
                parts = try await [first, second]
            }
            let merged = Spec(
                stage: spec.stage == .map ? .reduce : spec.stage, inputs: parts.map(\.summary.text),
                headingPath: spec.headingPath, level: spec.level, chain: spec.chain)
            let top = try await execute(merged, previous: previous, tree: tree, depth: depth + 1)
            return Self.combine(parts + [top])
        }
    }

    /// Whether `error` says a call does not fit its model's window.
    static func isTooLong(_ error: any Error) -> Bool {
        if let error = error as? SummarizationError { return error.code == .tooLong }
        if let error = error as? ChatAPIError { return error.code == .contextLength }
        return false
    }

    /// `spec` cut in two: a group of summaries into two groups, one text into two runs of its
    /// paragraphs or sentences; nil when it is too small to cut.
    func split(_ spec: Spec) -> [Spec]? {
        let halfStage: Stage = spec.stage == .final ? (spec.inputs.count > 1 ? .reduce : .map) : spec.stage
        func half(_ inputs: [String], tail: String?) -> Spec {
            Spec(
                stage: halfStage, inputs: inputs, headingPath: spec.headingPath, level: spec.level, chain: spec.chain,
                tail: tail)
        }
        if spec.inputs.count > 1 {
            let middle = spec.inputs.count / 2
            return [half(Array(spec.inputs[..<middle]), tail: nil), half(Array(spec.inputs[middle...]), tail: nil)]
        }
        guard let text = spec.inputs.first else { return nil }
        let tokens = estimator.estimate(text)
        guard tokens >= 64 else { return nil }
        let pieces = Chunker(budget: max(32, tokens / 2 + 1), estimator: estimator).chunks(of: text).map(\.text)
        guard pieces.count >= 2 else { return nil }
        // As even halves as the pieces allow: a piece goes first while most of it lies in the first half.
        var first: [String] = []
        var second: [String] = []
        var seen = 0
        for piece in pieces {
            let size = estimator.estimate(piece)
            if second.isEmpty && (first.isEmpty || seen + size / 2 <= tokens / 2) {
                first.append(piece)
            } else {
                second.append(piece)
            }
            seen += size
        }
        if second.isEmpty { second.append(first.removeLast()) }
        let head = first.joined(separator: "\n\n")
        return [half([head], tail: spec.tail), half([second.joined(separator: "\n\n")], tail: head)]
    }

    /// One outcome for a split call: the top call's summary, with every part's calls and tokens.
    static func combine(_ outcomes: [CallOutcome]) -> CallOutcome {
        var summary = outcomes.last!.summary
        var made = 0
        var reused = 0
        (summary.promptTokens, summary.completionTokens, summary.reasoningTokens, summary.cachedTokens) = (0, 0, 0, 0)
        for outcome in outcomes {
            let counts = outcome.parts ?? (outcome.reused ? (0, 1) : (1, 0))
            made += counts.made
            reused += counts.reused
            guard outcome.parts != nil || !outcome.reused else { continue }
            summary.promptTokens += outcome.summary.promptTokens
            summary.completionTokens += outcome.summary.completionTokens
            summary.reasoningTokens += outcome.summary.reasoningTokens
            summary.cachedTokens += outcome.summary.cachedTokens
            summary.truncated = summary.truncated || outcome.summary.truncated
            summary.usageEstimated = summary.usageEstimated || outcome.summary.usageEstimated
        }
        return CallOutcome(summary: summary, reused: made == 0, parts: (made, reused))
    }
}
