import ChatAPI
import Summarization

extension PipelineConfig {
    enum CodingKeys: String, CodingKey {
        case name, description, backend, chunking, extractive, concurrency, prices, currency
        case maxLevels = "max_levels"
        case baseURL = "base_url"
        case baseURLEnv = "base_url_env"
        case apiKeyEnv = "api_key_env"
        case apiKeyRequired = "api_key_required"
        case model
        case contextWindow = "context_window"
        case tokenRatio = "token_ratio"
        case temperature, stream
        case maxTokens = "max_tokens"
        case prompts
        case allowInsecureHTTP = "allow_insecure_http"
        case timeouts, limits, tier, retries
        case pdfPassword = "pdf_password"
        case ocr, extends, context, output, thinking
        case reasoningTokens = "reasoning_tokens"
        case reasoningEffort = "reasoning_effort"
        case mode, batch, formats, strategy
        case extractTokens = "extract_tokens"
    }

    /// The keys a pipeline file may use at the top level and in each nested mapping.
    static let knownKeys: [String: Set<String>] = [
        "": Set(
            [
                CodingKeys.name, .description, .backend, .chunking, .extractive, .concurrency, .prices, .currency,
                .maxLevels,
                .baseURL, .baseURLEnv, .apiKeyEnv, .apiKeyRequired, .model, .contextWindow, .tokenRatio, .temperature,
                .stream,
                .maxTokens, .prompts, .allowInsecureHTTP, .timeouts, .limits, .tier, .retries, .pdfPassword, .ocr,
                .extends, .context, .output, .thinking, .reasoningTokens, .reasoningEffort, .mode, .batch, .formats,
                .strategy, .extractTokens
            ].map(\.stringValue)),
        "limits": ["concurrency", "rpm", "tpm", "tpd", "window_seconds"],
        "retries": ["max_attempts", "base_delay_ms", "max_delay_ms"],
        "chunking": ["chunk_tokens"],
        "extractive": ["map_tokens", "reduce_tokens", "final_tokens"],
        "max_tokens": ["map", "reduce", "final"],
        "prompts": ["system", "map", "reduce", "final", "language"],
        "timeouts": ["connect", "read", "request"],
        "output": ["sections"],
        "batch": Set(Batch.CodingKeys.allCases.map(\.stringValue))
    ]

    /// The values the keys that take a word accept.
    static let choices: [String: [String]] = [
        "backend": ["extractive", "openai-compatible"],
        "context": ContextMode.allCases.map(\.rawValue),
        "strategy": Strategy.allCases.map(\.rawValue),
        "ocr": OCRMode.allCases.map(\.rawValue),
        "thinking": Thinking.allCases.map(\.rawValue),
        "reasoning_effort": ReasoningEffort.allCases.map(\.rawValue),
        "mode": Mode.allCases.map(\.rawValue),
        "formats": Formats.allCases.map(\.rawValue),
        "batch.fallback": BatchFallback.allCases.map(\.rawValue)
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PipelineConfig()
        let l = LLM()
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        description = try c.decodeIfPresent(String.self, forKey: .description)
        backend = try c.decodeIfPresent(Backend.self, forKey: .backend) ?? d.backend
        chunking = try c.decodeIfPresent(Chunking.self, forKey: .chunking) ?? d.chunking
        extractive = try c.decodeIfPresent(Extractive.self, forKey: .extractive) ?? d.extractive
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
        maxLevels = try c.decodeIfPresent(Int.self, forKey: .maxLevels) ?? d.maxLevels
        prices = try c.decodeIfPresent([String: Price].self, forKey: .prices) ?? d.prices
        currency = try c.decodeIfPresent(String.self, forKey: .currency) ?? d.currency
        limits = try c.decodeIfPresent(Limits.self, forKey: .limits) ?? d.limits
        tier = try c.decodeIfPresent(Int.self, forKey: .tier)
        retries = try c.decodeIfPresent(Retries.self, forKey: .retries) ?? d.retries
        pdfPassword = try c.decodeIfPresent(String.self, forKey: .pdfPassword)
        ocr = try c.decodeIfPresent(OCRMode.self, forKey: .ocr) ?? .auto
        context = try c.decodeIfPresent(ContextMode.self, forKey: .context) ?? .headings
        strategy = try c.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .mapReduce
        extractTokens = try c.decodeIfPresent(Int.self, forKey: .extractTokens)
        output = try c.decodeIfPresent(Output.self, forKey: .output) ?? Output()
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .online
        formats = try c.decodeIfPresent(Formats.self, forKey: .formats) ?? .local
        batch = try c.decodeIfPresent(Batch.self, forKey: .batch) ?? Batch()
        llm = LLM(
            baseURL: try c.decodeIfPresent(String.self, forKey: .baseURL),
            baseURLEnv: try c.decodeIfPresent(String.self, forKey: .baseURLEnv) ?? l.baseURLEnv,
            apiKeyEnv: try c.decodeIfPresent(String.self, forKey: .apiKeyEnv) ?? l.apiKeyEnv,
            apiKeyRequired: try c.decodeIfPresent(Bool.self, forKey: .apiKeyRequired) ?? l.apiKeyRequired,
            model: try c.decodeIfPresent(String.self, forKey: .model) ?? l.model,
            contextWindow: try c.decodeIfPresent(Int.self, forKey: .contextWindow),
            tokenRatio: try c.decodeIfPresent(TokenRatio.self, forKey: .tokenRatio),
            temperature: try c.decodeIfPresent(Double.self, forKey: .temperature) ?? l.temperature,
            stream: try c.decodeIfPresent(Bool.self, forKey: .stream) ?? l.stream,
            maxTokens: try c.decodeIfPresent(MaxTokens.self, forKey: .maxTokens) ?? l.maxTokens,
            prompts: try c.decodeIfPresent(PromptOverrides.self, forKey: .prompts) ?? l.prompts,
            thinking: try c.decodeIfPresent(Thinking.self, forKey: .thinking) ?? l.thinking,
            reasoningTokens: try c.decodeIfPresent(Int.self, forKey: .reasoningTokens) ?? l.reasoningTokens,
            reasoningEffort: try c.decodeIfPresent(ReasoningEffort.self, forKey: .reasoningEffort),
            allowInsecureHTTP: try c.decodeIfPresent(Bool.self, forKey: .allowInsecureHTTP) ?? l.allowInsecureHTTP,
            timeouts: try c.decodeIfPresent(Timeouts.self, forKey: .timeouts) ?? l.timeouts
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(backend, forKey: .backend)
        try c.encode(chunking, forKey: .chunking)
        try c.encodeIfPresent(concurrency, forKey: .concurrency)
        try c.encode(maxLevels, forKey: .maxLevels)
        try c.encode(context, forKey: .context)
        if strategy != .mapReduce {
            try c.encode(strategy, forKey: .strategy)
            try c.encodeIfPresent(extractTokens, forKey: .extractTokens)
        }
        try c.encode(output, forKey: .output)
        if formats != .local { try c.encode(formats, forKey: .formats) }
        switch backend {
        case .extractive:
            try c.encode(extractive, forKey: .extractive)
        case .openAICompatible:
            try c.encodeIfPresent(llm.baseURL, forKey: .baseURL)
            try c.encode(llm.apiKeyEnv, forKey: .apiKeyEnv)
            try c.encode(llm.model, forKey: .model)
            try c.encodeIfPresent(llm.contextWindow, forKey: .contextWindow)
            try c.encodeIfPresent(llm.tokenRatio, forKey: .tokenRatio)
            try c.encode(llm.temperature, forKey: .temperature)
            try c.encode(llm.stream, forKey: .stream)
            try c.encode(llm.maxTokens, forKey: .maxTokens)
            try c.encode(llm.thinking, forKey: .thinking)
            try c.encodeIfPresent(llm.reasoningEffort, forKey: .reasoningEffort)
            try c.encode(mode, forKey: .mode)
            if mode == .batch { try c.encode(batch, forKey: .batch) }
            try c.encode(prices, forKey: .prices)
            try c.encode(currency, forKey: .currency)
        }
    }
}
