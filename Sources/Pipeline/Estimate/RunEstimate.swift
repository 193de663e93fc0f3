import Foundation

/// What a run would do and cost, worked out without making a call (`precis estimate`, `run --dry-run`).
public struct RunEstimate: Sendable, Codable {
    public var pipeline: String
    public var model: String
    public var currency: String
    public var files = 0
    /// Files whose summary is current: a run skips them without a call.
    public var unchanged = 0
    /// Files a run would summarize.
    public var toSummarize = 0
    /// Files a run would fail on (unreadable, or a tree that would not converge), with the reason.
    public var failing: [String: String] = [:]
    public var chunks = 0
    /// Calls a run would make, and calls whose answers the store already holds.
    public var calls = 0
    public var callsStored = 0
    /// The deepest tree, in levels.
    public var levels = 0
    /// Tokens as the provider is expected to count them, and the most they can be.
    public var promptTokens = 0
    public var promptTokensMax = 0
    public var completionTokens = 0
    /// Every call writing its full `max_tokens` (and, thinking, its reasoning room).
    public var completionTokensMax = 0
    /// The part of `completionTokens` expected to be reasoning, from what earlier thinking calls spent.
    public var reasoningTokens = 0
    /// The part of `promptTokens` expected from the platform's prefix cache: prefixes that repeat.
    public var cachedTokens = 0
    /// Whether the model thinks before it answers, which no estimate foresees until a run has measured it.
    public var thinking = false
    /// The `reasoning_effort` the calls are sent with, for models that take one.
    public var effort: String?
    public var cost = 0.0
    public var costMax = 0.0
    /// Whether calls go through the Batch API, priced at its discount in `cost` and `costMax`.
    public var batch = false
    /// The expected cost at the online price, to set the batch discount against.
    public var costOnline = 0.0
    /// The run's expected length in seconds, and what sets it.
    public var seconds = 0.0
    public var boundBy = ""
    public var concurrency = 1
    /// The model's tokens per estimated token the plan counts with, and where it came from.
    public var tokenRatio: Double?
    public var tokenRatioSource: String?
    /// Model tokens per CJK character, when the server counted CJK apart.
    public var tokenRatioCJK: Double?
    /// The pipeline's strategy, and what the other one would make and cost, for model pipelines.
    public var strategy = "map-reduce"
    public var alternative: Alternative?

    /// What the strategy a pipeline does not use would make and cost on the same files.
    public struct Alternative: Sendable, Codable {
        public var strategy: String
        public var calls = 0
        public var promptTokens = 0
        public var completionTokens = 0
        public var cost = 0.0

        enum CodingKeys: String, CodingKey {
            case strategy, calls, cost
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }

    enum CodingKeys: String, CodingKey {
        case pipeline, model, currency, files, unchanged, failing, chunks, calls, levels, cost, seconds, concurrency
        case toSummarize = "to_summarize"
        case callsStored = "calls_stored"
        case promptTokens = "prompt_tokens"
        case promptTokensMax = "prompt_tokens_max"
        case completionTokens = "completion_tokens"
        case completionTokensMax = "completion_tokens_max"
        case costMax = "cost_max"
        case boundBy = "bound_by"
        case tokenRatio = "token_ratio"
        case tokenRatioSource = "token_ratio_source"
        case reasoningTokens = "reasoning_tokens"
        case thinking, effort
        case cachedTokens = "cached_tokens"
        case tokenRatioCJK = "token_ratio_cjk"
        case batch
        case costOnline = "cost_online"
        case strategy, alternative
    }

    /// The estimate as pretty, key-sorted JSON.
    public func json() throws(PipelineError) -> Data { try JSONOutput.encode(self) }

    /// The estimate for people: one line per figure.
    public var text: String {
        func n(_ value: Int) -> String { value.formatted(.number.grouping(.automatic)) }
        func money(_ value: Double) -> String { String(format: "%.4f", value) + " " + currency }
        var lines = [
            "\(n(files)) file(s): \(n(toSummarize)) to summarize, \(n(unchanged)) unchanged, \(n(failing.count)) would fail; \(n(chunks)) chunk(s)"
        ]
        lines.append(
            "calls       \(n(calls)) to make, \(n(callsStored)) already stored; trees up to \(levels) level(s)")
        if model == "extractive" {
            lines.append("tokens      \(n(promptTokensMax)) read by the offline summarizer; no cost")
        } else {
            lines.append(
                "tokens in   ~\(n(promptTokens)) expected, at most \(n(promptTokensMax))"
                    + (cachedTokens > 0 ? "; ~\(n(cachedTokens)) from the prefix cache (a repeated prompt start)" : ""))
            lines.append(
                "tokens out  ~\(n(completionTokens)) expected, at most \(n(completionTokensMax)) (every call writing its max_tokens)"
            )
            if thinking {
                lines.append(
                    reasoningTokens > 0
                        ? "reasoning   ~\(n(reasoningTokens)) of the tokens out, as this model reasoned before"
                        : "reasoning   not learned yet for \(model)\(effort.map { " at reasoning_effort \($0)" } ?? ""): a run measures it; until then the upper bound gives each call its whole max_completion_tokens"
                )
            }
            lines.append(
                costMax > 0
                    ? "cost        ~\(money(cost)) expected, at most \(money(costMax))"
                        + (batch ? " at the batch price (~\(money(costOnline)) online)" : "")
                    : "cost        not priced: the pipeline has no prices for \(model)")
        }
        if let alternative {
            lines.append(
                "strategy    \(strategy); \(alternative.strategy) would make \(n(alternative.calls)) call(s), ~\(n(alternative.promptTokens)) tokens in, "
                    + "~\(n(alternative.completionTokens)) out" + (costMax > 0 ? ", ~\(money(alternative.cost))" : ""))
        }
        if let tokenRatio {
            let cjk = tokenRatioCJK.map { String(format: ", %.2f per CJK character", $0) } ?? ""
            lines.append(
                "ratio       \(String(format: "%.2f", tokenRatio)) model tokens per estimated token\(cjk) (\(tokenRatioSource ?? "the pipeline"))"
            )
        }
        lines.append("time        ~\(Self.duration(seconds)) (\(boundBy))")
        for (path, reason) in failing.sorted(by: { $0.key < $1.key }) { lines.append("would fail  \(path): \(reason)") }
        return lines.joined(separator: "\n")
    }

    /// Seconds as `45 s`, `3 min 20 s` or `2 h 5 min`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        if s < 86_400 * 2 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86_400) days \(s % 86_400 / 3600) h"
    }
}
