import ChatAPI
import Chunking
import Crypto
import Foundation

/// Summarizes through an OpenAI-compatible chat model: Moonshot's Kimi, or a local server.
///
/// Each call renders its stage's prompt, picks the model (the cheapest window that fits when the
/// model is `auto`), and sends one request. An answer cut at `max_tokens` is asked for once more
/// with twice the room if the window allows, else kept and marked truncated.
public struct LLMSummarizer: Summarizer {
    public struct Options: Sendable, Hashable {
        /// A model id, or `auto` to choose among `candidates` per request.
        public var model: String
        /// The window of `model`, when it is fixed.
        public var contextWindow: Int
        /// Models `auto` chooses from, smallest window first.
        public var candidates: [ModelInfo]
        public var temperature: Double
        public var maxTokens: [Stage: Int]
        public var stream: Bool
        /// Prompts the pipeline sets over the built-in ones of the document's language.
        public var prompts: PromptOverrides
        /// Thinking on or off for models that can switch it; nil leaves each model at its default.
        public var thinking: Bool?
        /// Output tokens a thinking call may spend reasoning, on top of its stage's `max_tokens`.
        public var reasoningTokens: Int

        public init(model: String, contextWindow: Int, candidates: [ModelInfo] = [], temperature: Double = 0.3,
                    maxTokens: [Stage: Int] = [.map: 512, .reduce: 768, .final: 1024], stream: Bool = false,
                    prompts: PromptOverrides = PromptOverrides(), thinking: Bool? = nil, reasoningTokens: Int = 8192) {
            self.model = model
            self.contextWindow = contextWindow
            self.candidates = candidates.sorted { ($0.contextLength ?? 0) < ($1.contextLength ?? 0) }
            self.temperature = temperature
            self.maxTokens = maxTokens
            self.stream = stream
            self.prompts = prompts
            self.thinking = thinking
            self.reasoningTokens = reasoningTokens
        }

        public var isAuto: Bool { model == "auto" }

        /// Whether calls on `model` think.
        public var thinks: Bool { ModelFamily.of(model).thinks(thinking) }
    }

    /// Tokens a chat message costs beyond its text (role markers and separators).
    public static let messageOverhead = 8

    public var options: Options
    public let transport: any ChatTransport
    public let calibration: TokenCalibration

    public init(options: Options, transport: any ChatTransport, calibration: TokenCalibration = TokenCalibration()) {
        self.options = options
        self.transport = transport
        self.calibration = calibration
    }

    public var fingerprint: String {
        let o = options
        var text = "llm/v1|model=\(o.model)|temperature=\(o.temperature)"
        text += "|max=" + Stage.allCases.map { "\($0.rawValue):\(maxOutputTokens(for: $0))" }.joined(separator: ",")
        if o.isAuto { text += "|candidates=" + o.candidates.map(\.id).joined(separator: ",") }
        // Only where thinking applies, so the keys of models that never think stay as they were.
        if o.thinking != nil || o.thinks { text += "|thinking=\(o.thinks ? "on" : "off"),reasoning=\(o.reasoningTokens)" }
        let prompts = [o.prompts.resolved(for: .english), o.prompts.resolved(for: .chinese)]
        let promptText = prompts.map { [$0.system, $0.map, $0.reduce, $0.final].joined(separator: "\u{1F}") }.joined(separator: "\u{1E}")
        text += "|prompts=" + SHA256.hash(data: Data(promptText.utf8)).hex.prefix(24)
        return text
    }

    public func maxOutputTokens(for stage: Stage) -> Int {
        options.maxTokens[stage] ?? 1024
    }

    /// The most tokens the prompt around the text can take at any stage, in any built-in language.
    public func templateTokens() -> Int {
        let estimator = calibration.estimator
        let sets = [options.prompts.resolved(for: .english), options.prompts.resolved(for: .chinese)]
        let context = SummaryContext(title: String(repeating: "T", count: 80), headingPath: ["Heading", "Subheading"])
        return sets.flatMap { set in
            Stage.allCases.map { stage in
                estimator.estimate(PromptSet.render(set.system, text: "", context: context))
                    + estimator.estimate(PromptSet.render(set.template(for: stage), text: "", context: context))
                    + 2 * Self.messageOverhead
            }
        }.max() ?? 0
    }

    public func summarize(_ inputs: [String], stage: Stage, context: SummaryContext) async throws -> Summary {
        let messages = self.messages(for: inputs, stage: stage, context: context)
        let (estimator, ratio) = calibration.snapshot()
        let estimate = Self.promptTokens(messages, estimator: estimator)
        var maxTokens = answerRoom(for: stage, promptTokens: estimate)
        var (model, window) = try choose(promptTokens: estimate, maxTokens: maxTokens)
        let family = ModelFamily.of(model)
        let thinks = family.thinks(options.thinking)
        if thinks { maxTokens = min(maxTokens + options.reasoningTokens, max(maxTokens, window - estimate)) }
        var request = ChatRequest(model: model, messages: messages, temperature: family.temperature(options.temperature), maxTokens: maxTokens,
                                  stream: options.stream, thinking: family.thinkingField(options.thinking),
                                  contextWindow: window, estimatedPromptTokens: estimate)
        var spent = Summary(text: "")
        var estimated = false
        func send() async throws -> ChatCompletion {
            let completion = try await transport.complete(request)
            // A server that reports no usage (llama.cpp's streams) gets our estimate, marked as such.
            let reasoning = completion.reasoning.isEmpty ? 0 : estimator.estimate(completion.reasoning)
            let usage = completion.usage ?? ChatCompletion.Usage(
                promptTokens: estimate, completionTokens: estimator.estimate(completion.text) + reasoning, reasoningTokens: reasoning)
            if let actual = completion.usage { calibration.observe(estimated: estimate, actual: actual.promptTokens, ratio: ratio) }
            spent.promptTokens += usage.promptTokens
            spent.completionTokens += usage.completionTokens
            spent.cachedTokens += usage.cachedTokens
            spent.reasoningTokens += usage.reasoningTokens ?? reasoning
            estimated = estimated || completion.usage == nil
            return completion
        }
        var completion = try await send()
        // A thinking call can spend all its room reasoning and write nothing: ask again with more
        // room while the window has it, and never keep an empty answer.
        var attempts = 1
        // A batch's answer is final: asking again would pay again, in another batch.
        while thinks, !completion.batched, completion.isTruncated, completion.text.trimmingWhitespace().isEmpty {
            let larger = min(maxTokens * 2, window - estimate)
            guard larger > maxTokens, attempts < 3 else {
                throw SummarizationError(.summarizerFailed, "\(completion.model) spent all \(maxTokens) output tokens reasoning and wrote no summary; raise reasoning_tokens, or turn thinking off")
            }
            maxTokens = larger
            request.maxTokens = maxTokens
            completion = try await send()
            attempts += 1
        }
        if completion.isTruncated, !completion.batched, let larger = try? choose(promptTokens: estimate, maxTokens: maxTokens * 2) {
            maxTokens *= 2
            (model, window) = larger
            request.model = model
            request.maxTokens = maxTokens
            request.contextWindow = window
            completion = try await send()
        }
        let summary = completion.text.trimmingWhitespace()
        guard !summary.isEmpty else {
            throw SummarizationError(.summarizerFailed, "\(completion.model) returned an empty answer (finish_reason \(completion.finishReason))")
        }
        var result = Summary(text: summary, promptTokens: spent.promptTokens, completionTokens: spent.completionTokens,
                             reasoningTokens: spent.reasoningTokens, cachedTokens: spent.cachedTokens,
                             model: completion.model, truncated: completion.isTruncated, usageEstimated: estimated)
        result.batched = completion.batched
        return result
    }

    /// The messages a call sends: the system prompt and the stage's template around the inputs.
    public func messages(for inputs: [String], stage: Stage, context: SummaryContext) -> [ChatMessage] {
        let prompts = options.prompts.resolved(for: context.language)
        return [
            .system(PromptSet.render(prompts.system, text: "", context: context)),
            .user(PromptSet.render(prompts.template(for: stage), text: inputs.joined(separator: "\n\n---\n\n"), context: context)),
        ]
    }

    /// The prompt tokens of `messages` as `estimator` counts them, with each message's overhead.
    public static func promptTokens(_ messages: [ChatMessage], estimator: TokenEstimator) -> Int {
        messages.reduce(0) { $0 + estimator.estimate($1.content) + messageOverhead }
    }

    /// The stage's `max_tokens`, or less when a prompt cut before the estimate's ratio rose (a
    /// server counted more than estimated mid-run) leaves the window short by a little: an answer
    /// with at least half its room beats a failed call, and the prompt still fits (DESIGN invariant 2).
    func answerRoom(for stage: Stage, promptTokens: Int) -> Int {
        let room = maxOutputTokens(for: stage)
        guard !options.isAuto, promptTokens + room > options.contextWindow else { return room }
        let left = options.contextWindow - promptTokens
        return left >= room / 2 ? left : room
    }

    /// The model for a request and its window: the fixed model, or the smallest candidate that fits.
    public func choose(promptTokens: Int, maxTokens: Int) throws -> (model: String, window: Int) {
        let needed = promptTokens + maxTokens
        if !options.isAuto {
            guard needed <= options.contextWindow else {
                throw SummarizationError(.tooLong, "a \(promptTokens)-token prompt and \(maxTokens) output tokens do not fit the \(options.contextWindow)-token window of \(options.model)")
            }
            return (options.model, options.contextWindow)
        }
        guard let pick = options.candidates.first(where: { ($0.contextLength ?? 0) >= needed }), let window = pick.contextLength else {
            throw SummarizationError(.summarizerFailed, "no model among \(options.candidates.map(\.id)) has a window of \(needed) tokens")
        }
        return (pick.id, window)
    }
}
