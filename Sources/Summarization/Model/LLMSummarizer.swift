import ChatAPI
import Chunking
import Crypto
import Foundation

/// Summarizes through an OpenAI-compatible chat model: Moonshot's Kimi, or a local server.
///
/// Each call renders its stage's prompt, picks the model (the cheapest window that fits when the
/// model is `auto`), and sends one request. An answer cut at its limit is continued in partial
/// mode where the server has it; elsewhere it is kept to its last complete sentence and marked
/// truncated, never paid for again.
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
        /// K3's `reasoning_effort`; nil sends none.
        public var reasoningEffort: ReasoningEffort?

        public init(
            model: String, contextWindow: Int, candidates: [ModelInfo] = [], temperature: Double = 0.3,
            maxTokens: [Stage: Int] = [.map: 512, .reduce: 768, .final: 1024], stream: Bool = false,
            prompts: PromptOverrides = PromptOverrides(), thinking: Bool? = nil, reasoningTokens: Int = 8192,
            reasoningEffort: ReasoningEffort? = nil
        ) {
            self.model = model
            self.contextWindow = contextWindow
            self.candidates = candidates.sorted { ($0.contextLength ?? 0) < ($1.contextLength ?? 0) }
            self.temperature = temperature
            self.maxTokens = maxTokens
            self.stream = stream
            self.prompts = prompts
            self.thinking = thinking
            self.reasoningTokens = reasoningTokens
            self.reasoningEffort = reasoningEffort
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
    /// Whether the server continues a cut answer; learned once for the run.
    public let partialMode: PartialMode

    public init(
        options: Options, transport: any ChatTransport, calibration: TokenCalibration = TokenCalibration(),
        partialMode: PartialMode = PartialMode()
    ) {
        self.options = options
        self.transport = transport
        self.calibration = calibration
        self.partialMode = partialMode
    }

    public var fingerprint: String {
        let o = options
        var text = "llm/v1|model=\(o.model)|temperature=\(o.temperature)"
        text += "|max=" + Stage.allCases.map { "\($0.rawValue):\(maxOutputTokens(for: $0))" }.joined(separator: ",")
        if o.isAuto { text += "|candidates=" + o.candidates.map(\.id).joined(separator: ",") }
        // Only where thinking applies, so the keys of models that never think stay as they were.
        if o.thinking != nil || o.thinks {
            text += "|thinking=\(o.thinks ? "on" : "off"),reasoning=\(o.reasoningTokens)"
        }
        if let effort = ModelFamily.of(o.model).effort(o.reasoningEffort) { text += "|effort=\(effort.rawValue)" }
        let prompts = [o.prompts.resolved(for: .english), o.prompts.resolved(for: .chinese)]
        let promptText = prompts.map { [$0.system, $0.map, $0.reduce, $0.final].joined(separator: "\u{1F}") }.joined(
            separator: "\u{1E}")
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
                    + estimator.estimate(
                        PromptSet.render(set.template(for: stage), text: "", context: context, length: 99_999))
                    + 2 * Self.messageOverhead
            }
        }.max() ?? 0
    }

    public func summarize(_ inputs: [String], stage: Stage, context: SummaryContext) async throws -> Summary {
        let messages = self.messages(for: inputs, stage: stage, context: context)
        let estimator = calibration.estimator
        let estimate = Self.promptTokens(messages, estimator: estimator)
        var maxTokens = answerRoom(for: stage, promptTokens: estimate)
        let (model, window) = try choose(promptTokens: estimate, maxTokens: maxTokens)
        let family = ModelFamily.of(model)
        let thinks = family.thinks(options.thinking)
        if thinks { maxTokens = min(maxTokens + options.reasoningTokens, max(maxTokens, window - estimate)) }
        let request = ChatRequest(
            model: model, messages: messages, temperature: family.temperature(options.temperature),
            maxTokens: maxTokens,
            stream: options.stream, thinking: family.thinkingField(options.thinking),
            reasoningEffort: family.effort(options.reasoningEffort), contextWindow: window,
            estimatedPromptTokens: estimate)
        var call = Exchange(transport: transport, estimator: estimator)
        var completion = try await call.send(request)
        // A thinking call can spend all its room reasoning and write nothing: ask again with more
        // room while the window has it, and never keep an empty answer.
        completion = try await reasonAgain(completion, request: request, exchange: &call, thinks: thinks)
        var text = completion.text
        if completion.isTruncated, !completion.batched {
            (completion, text) = try await finishCut(completion, request: request, exchange: &call)
        }
        let summary = RepeatedSentences.removed(from: text).trimmingWhitespace()
        guard !summary.isEmpty else {
            throw SummarizationError(
                .summarizerFailed,
                "\(completion.model) returned an empty answer (finish_reason \(completion.finishReason))")
        }
        let spent = call.spent
        var result = Summary(
            text: summary, promptTokens: spent.promptTokens, completionTokens: spent.completionTokens,
            reasoningTokens: spent.reasoningTokens, cachedTokens: spent.cachedTokens,
            model: completion.model, truncated: completion.isTruncated, usageEstimated: call.estimated)
        result.batched = completion.batched
        result.requests = call.requests
        return result
    }

    /// A thinking answer cut inside its reasoning, asked again with twice the room while the window has it.
    private func reasonAgain(_ first: ChatCompletion, request: ChatRequest, exchange: inout Exchange, thinks: Bool)
        async throws -> ChatCompletion
    {
        var completion = first
        var request = request
        var attempts = 1
        let window = request.contextWindow ?? options.contextWindow
        let estimate = request.estimatedPromptTokens ?? 0
        // A batch's answer is final: asking again would pay again, in another batch.
        while thinks, !completion.batched, completion.isTruncated, completion.text.trimmingWhitespace().isEmpty {
            let current = request.maxTokens ?? 0
            let larger = min(current * 2, window - estimate)
            guard larger > current, attempts < 3 else {
                throw SummarizationError(
                    .summarizerFailed,
                    "\(completion.model) spent all \(current) output tokens reasoning and wrote no summary; raise reasoning_tokens, or turn thinking off"
                )
            }
            request.maxTokens = larger
            completion = try await exchange.send(request)
            attempts += 1
        }
        return completion
    }

    /// An answer cut at its limit: continued in partial mode where the server has it (the cut text
    /// as the prefix, the answer's room again as the limit, so the prompt is not answered twice);
    /// elsewhere kept to its last complete sentence and marked truncated. Asking again with more
    /// room would pay the whole prompt a second time, and a small model rambles to any limit.
    private func finishCut(_ cut: ChatCompletion, request: ChatRequest, exchange: inout Exchange) async throws -> (
        ChatCompletion, String
    ) {
        var completion = cut
        var text = cut.text
        if ModelFamily.of(request.model).partialMode, partialMode.usable, !text.trimmingWhitespace().isEmpty {
            var continuations = 0
            while completion.isTruncated, continuations < Self.maxContinuations {
                guard let next = continuation(of: request, prefix: text, estimator: exchange.estimator) else { break }
                let more: ChatCompletion
                do { more = try await exchange.send(next) } catch let error as ChatAPIError
                    where error.code == .badRequest || error.code == .invalidRequest
                {
                    // The server refuses partial mode: cut answers are kept as cut from now on.
                    partialMode.refuse()
                    break
                }
                continuations += 1
                if PartialMode.repeats(prefix: text, answer: more.text) {
                    // It answered anew instead of going on: it ignores partial mode.
                    partialMode.refuse()
                    return (more, more.isTruncated ? CutAnswer.complete(more.text) : more.text)
                }
                text += more.text
                completion = more
            }
        }
        return (completion, completion.isTruncated ? CutAnswer.complete(text) : text)
    }

    /// The partial-mode request that goes on from `prefix`, or nil when the window has no room left.
    private func continuation(of request: ChatRequest, prefix: String, estimator: TokenEstimator) -> ChatRequest? {
        let window = request.contextWindow ?? options.contextWindow
        let prompt = (request.estimatedPromptTokens ?? 0) + estimator.estimate(prefix) + Self.messageOverhead
        let room = min(request.maxTokens ?? 0, window - prompt)
        guard room >= 16 else { return nil }
        var next = request
        next.messages.append(.prefix(prefix))
        next.maxTokens = room
        next.estimatedPromptTokens = prompt
        return next
    }

    /// Continuations one answer may take before it is kept as cut.
    static let maxContinuations = 2

    /// The messages a call sends: the system prompt and the stage's template around the inputs.
    public func messages(for inputs: [String], stage: Stage, context: SummaryContext) -> [ChatMessage] {
        let prompts = options.prompts.resolved(for: context.language)
        return [
            .system(PromptSet.render(prompts.system, text: "", context: context)),
            .user(
                PromptSet.render(
                    prompts.template(for: stage), text: inputs.joined(separator: "\n\n---\n\n"), context: context,
                    length: maxOutputTokens(for: stage)))
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
                throw SummarizationError(
                    .tooLong,
                    "a \(promptTokens)-token prompt and \(maxTokens) output tokens do not fit the \(options.contextWindow)-token window of \(options.model)"
                )
            }
            return (options.model, options.contextWindow)
        }
        guard let pick = options.candidates.first(where: { ($0.contextLength ?? 0) >= needed }),
            let window = pick.contextLength
        else {
            throw SummarizationError(
                .summarizerFailed, "no model among \(options.candidates.map(\.id)) has a window of \(needed) tokens")
        }
        return (pick.id, window)
    }
}
