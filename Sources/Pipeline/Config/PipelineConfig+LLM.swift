import ChatAPI
import Summarization

extension PipelineConfig {
    /// The model side of a pipeline: server, key, model, sampling, prompts and timeouts.
    public struct LLM: Sendable, Hashable, Codable {
        public var baseURL: String?
        /// The variable that overrides `baseURL`.
        public var baseURLEnv: String
        /// The variable holding the API key; the key itself never appears in a pipeline.
        public var apiKeyEnv: String
        /// Whether a run refuses to start without a key (local servers may not need one).
        public var apiKeyRequired: Bool
        /// A model id, or `auto` for the cheapest Moonshot window that fits each request.
        public var model: String
        /// The model's window, when neither the known table nor the server's `/models` gives it.
        public var contextWindow: Int?
        /// The model's tokens per estimated token: a number, `auto` to ask the server, or nil for 1.
        public var tokenRatio: TokenRatio?
        public var temperature: Double
        public var stream: Bool
        public var maxTokens: MaxTokens
        public var prompts: PromptOverrides
        /// Thinking for models that can switch it (Kimi's K2.5 and K2.6); others ignore it.
        public var thinking: Thinking
        /// Output tokens a thinking call may spend reasoning, on top of its stage's `max_tokens`.
        public var reasoningTokens: Int
        /// K3's `reasoning_effort`; refused at load for models that take none.
        public var reasoningEffort: ReasoningEffort?
        /// Allows sending the key over plain HTTP to a host other than this machine.
        public var allowInsecureHTTP: Bool
        public var timeouts: Timeouts

        public init(
            baseURL: String? = nil, baseURLEnv: String = "MOONSHOT_BASE_URL", apiKeyEnv: String = "MOONSHOT_API_KEY",
            apiKeyRequired: Bool = true, model: String = "moonshot-v1-8k", contextWindow: Int? = nil,
            tokenRatio: TokenRatio? = nil, temperature: Double = 0.3, stream: Bool = false,
            maxTokens: MaxTokens = MaxTokens(),
            prompts: PromptOverrides = PromptOverrides(), thinking: Thinking = .modelDefault,
            reasoningTokens: Int = 8192,
            reasoningEffort: ReasoningEffort? = nil, allowInsecureHTTP: Bool = false, timeouts: Timeouts = Timeouts()
        ) {
            self.baseURL = baseURL
            self.baseURLEnv = baseURLEnv
            self.apiKeyEnv = apiKeyEnv
            self.apiKeyRequired = apiKeyRequired
            self.model = model
            self.contextWindow = contextWindow
            self.tokenRatio = tokenRatio
            self.temperature = temperature
            self.stream = stream
            self.maxTokens = maxTokens
            self.prompts = prompts
            self.thinking = thinking
            self.reasoningTokens = reasoningTokens
            self.reasoningEffort = reasoningEffort
            self.allowInsecureHTTP = allowInsecureHTTP
            self.timeouts = timeouts
        }

        func validate(file: String) throws(PipelineError) {
            func check(_ ok: Bool, _ key: String, _ rule: String) throws(PipelineError) {
                if !ok { throw PipelineError(.config, "\(file): \(key) \(rule)") }
            }
            try check(!model.isEmpty, "model", "must not be empty")
            try check((0...1).contains(temperature), "temperature", "must be between 0 and 1")
            for (key, value) in [("map", maxTokens.map), ("reduce", maxTokens.reduce), ("final", maxTokens.final)] {
                try check(value >= 16, "max_tokens.\(key)", "must be at least 16")
            }
            try check((contextWindow ?? 1024) >= 1024, "context_window", "must be at least 1024")
            try check(tokenRatio?.isValid ?? true, "token_ratio", "must be a number from 1 to 10, or auto")
            for (key, template) in [("map", prompts.map), ("reduce", prompts.reduce), ("final", prompts.final)] {
                if let template { try check(template.contains("{text}"), "prompts.\(key)", "must contain {text}") }
            }
            try check((256...131_072).contains(reasoningTokens), "reasoning_tokens", "must be between 256 and 131072")
            try validateFamily(file: file)
            try check(
                timeouts.connect > 0 && timeouts.read > 0 && timeouts.request > 0, "timeouts",
                "must be positive seconds")
        }
    }
}

extension PipelineConfig.LLM {
    /// The keys only some model families take: `reasoning_effort` for K3's, `thinking: off` not
    /// for models that always reason.
    func validateFamily(file: String) throws(PipelineError) {
        let family = ModelFamily.of(model)
        if let reasoningEffort, choice == .auto || family.effort(reasoningEffort) == nil {
            let takes = family.efforts.map(\.rawValue).joined(separator: ", ")
            throw PipelineError(
                .config,
                takes.isEmpty || choice == .auto
                    ? "\(file): reasoning_effort: \(model) takes no reasoning_effort (the K3 models do); remove it"
                    : "\(file): reasoning_effort: \(model) takes \(takes), not \(reasoningEffort.rawValue)")
        }
        // An unknown kimi-* id is given reasoning room to be safe; whether it can stop is not known.
        if thinking == .off, family.thinking == .always, family.window != nil {
            throw PipelineError(
                .config,
                "\(file): thinking: \(model) always reasons and refuses thinking off; remove the key, or pick a model that can switch it (kimi-k2.6)"
            )
        }
    }
}

extension PipelineConfig {
    /// `thinking:` in a pipeline: what a request says to a model that can switch thinking.
    public enum Thinking: String, Sendable, Hashable, Codable, CaseIterable {
        case off, on
        /// Send no switch: each model does what it does by default.
        case modelDefault = "model-default"

        /// The switch a request carries: nil sends none.
        public var requested: Bool? {
            switch self {
            case .off: false
            case .on: true
            case .modelDefault: nil
            }
        }
    }

    public struct MaxTokens: Sendable, Hashable, Codable {
        public var map: Int
        public var reduce: Int
        public var final: Int

        public init(map: Int = 512, reduce: Int = 768, final: Int = 1024) {
            self.map = map
            self.reduce = reduce
            self.final = final
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = MaxTokens()
            map = try c.decodeIfPresent(Int.self, forKey: .map) ?? d.map
            reduce = try c.decodeIfPresent(Int.self, forKey: .reduce) ?? d.reduce
            final = try c.decodeIfPresent(Int.self, forKey: .final) ?? d.final
        }

        var byStage: [Stage: Int] { [.map: map, .reduce: reduce, .final: final] }
    }

    /// Seconds.
    public struct Timeouts: Sendable, Hashable, Codable {
        public var connect: Int
        /// The longest silence while reading an answer or a stream.
        public var read: Int
        /// The most a whole call may take (Moonshot cuts at 300).
        public var request: Int

        public init(connect: Int = 10, read: Int = 120, request: Int = 300) {
            self.connect = connect
            self.read = read
            self.request = request
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Timeouts()
            connect = try c.decodeIfPresent(Int.self, forKey: .connect) ?? d.connect
            read = try c.decodeIfPresent(Int.self, forKey: .read) ?? d.read
            request = try c.decodeIfPresent(Int.self, forKey: .request) ?? d.request
        }
    }
}
