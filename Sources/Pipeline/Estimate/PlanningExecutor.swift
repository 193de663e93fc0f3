import ChatAPI
import Checkpoint
import Chunking
import Foundation
import Summarization
import Synchronization

/// Carries out a tree's calls on paper: a stored call gives its real answer, any other is counted
/// and answered with stand-in text of the length the model is expected to write.
///
/// The tree logic is the run's own, so the plan makes exactly the calls a run would, as far as the
/// stand-in lengths match the real answers.
final class PlanningExecutor: CallExecutor {
    /// One call a run would have to make.
    struct Planned: Sendable {
        var level: Int
        var model: String?
        /// Expected prompt tokens (the provider's count, estimated) and the conservative count.
        var promptTokens: Int
        var promptTokensMax: Int
        /// Expected completion tokens, reasoning included.
        var completionTokens: Int
        /// The part of `completionTokens` expected to be reasoning: what thinking calls spent before.
        var reasoningTokens = 0
        var maxTokens: Int
        /// The prompt's leading message, for models that cache repeated prefixes, and its expected tokens:
        /// a call whose prefix an earlier call sent is expected to be served that much from the cache.
        var prefix: String? = nil
        var prefixTokens = 0
    }

    private let store: CheckpointStore?
    private let expected: TokenEstimator
    private let conservative: TokenEstimator
    private let state = Mutex<(planned: [Planned], reused: Int)>(([], 0))

    /// The mean answer length per stage of the calls this summarizer made before.
    private let history: [Stage: Int]
    /// The mean reasoning per stage of those calls; a thinking model's reasoning is not otherwise foreseeable.
    private let reasoningHistory: [Stage: Int]

    init(
        store: CheckpointStore?, conservative: TokenEstimator, expected: TokenEstimator, history: [Stage: Int] = [:],
        reasoningHistory: [Stage: Int] = [:]
    ) {
        self.store = store
        self.conservative = conservative
        self.expected = expected
        self.history = history
        self.reasoningHistory = reasoningHistory
    }

    var planned: [Planned] { state.withLock { $0.planned } }
    var reused: Int { state.withLock { $0.reused } }

    func execute(_ call: SummaryCall, summarizer: any Summarizer) async throws -> CallOutcome {
        if let stored = try await store?.call(key: call.key) {
            state.withLock { $0.reused += 1 }
            return CallOutcome(
                summary: Summary(
                    text: stored.output, promptTokens: stored.promptTokens,
                    completionTokens: stored.completionTokens, model: stored.model), reused: true)
        }
        let inputTokens = conservative.estimate(call.inputs)
        let cap = summarizer.maxOutputTokens(for: call.stage)
        let expectedInput = expected.estimate(call.inputs)
        let output = expectedOutput(call.stage, input: expectedInput, summarizer: summarizer, cap: cap)
        var plan = Planned(
            level: call.level, model: nil, promptTokens: expectedInput, promptTokensMax: inputTokens,
            completionTokens: output, maxTokens: cap)
        if let llm = summarizer as? LLMSummarizer {
            let messages = llm.messages(for: call.inputs, stage: call.stage, context: call.context)
            plan.promptTokensMax = LLMSummarizer.promptTokens(messages, estimator: conservative)
            plan.promptTokens = LLMSummarizer.promptTokens(messages, estimator: expected)
            plan.model = try llm.choose(promptTokens: plan.promptTokensMax, maxTokens: cap).model
            if let model = plan.model, ModelFamily.of(model).cachesPrefixes, let first = messages.first {
                plan.prefix = model + "\u{1E}" + first.content
                plan.prefixTokens = LLMSummarizer.promptTokens([first], estimator: expected)
            }
            if llm.options.thinks {
                plan.maxTokens = cap + llm.options.reasoningTokens
                plan.reasoningTokens = reasoningHistory[call.stage] ?? 0
                plan.completionTokens += plan.reasoningTokens
            }
        }
        state.withLock { $0.planned.append(plan) }
        return CallOutcome(
            summary: Summary(text: Self.standIn(tokens: output, estimator: conservative), model: plan.model),
            reused: false)
    }

    /// The tokens a call's answer is expected to hold.
    ///
    /// What this summarizer wrote at this stage before, when the store holds a few such answers;
    /// else the extractive summarizer's own targets, or for a model a quarter of the input, at most
    /// 40% of `max_tokens`: asked for a concise summary, models stop well short of the limit, which
    /// pipelines set with room to spare.
    func expectedOutput(_ stage: Stage, input inputTokens: Int, summarizer: any Summarizer, cap: Int) -> Int {
        if let learned = history[stage] { return max(1, min(cap, learned)) }
        let input = Double(inputTokens)
        guard let extractive = summarizer as? ExtractiveSummarizer else {
            return max(1, Int(min(input * 0.25, Double(cap) * 0.4).rounded()))
        }
        let share =
            switch stage {
            case .map: extractive.options.mapRatio
            case .reduce: extractive.options.reduceRatio
            case .final: extractive.options.finalRatio
            }
        return max(1, min(cap, Int((input * share).rounded())))
    }

    /// Text the estimator counts as about `tokens` tokens.
    static func standIn(tokens: Int, estimator: TokenEstimator) -> String {
        let word = "gist "
        // Measured over many words, so rounding up one short text does not skew the cost of each.
        let per = Double(estimator.estimate(String(repeating: word, count: 64))) / 64
        return String(repeating: word, count: max(1, Int((Double(tokens) / per).rounded())))
    }
}
