import ChatAPI
import Foundation
import Ingest
import Summarization

/// A pipeline file: which summarizer, how text is chunked, how far the tree may grow, what calls cost.
public struct PipelineConfig: Sendable, Hashable, Codable {
    /// The summarizer behind the pipeline.
    public enum Backend: String, Sendable, Codable {
        case extractive
        case openAICompatible = "openai-compatible"
    }

    public var name: String
    public var description: String?
    public var backend: Backend
    public var chunking: Chunking
    public var extractive: Extractive
    /// The model, its server and its prompts, for the `openai-compatible` backend.
    public var llm: LLM
    /// Price per million tokens, by model.
    public var prices: [String: Price]
    public var currency: String
    /// The most calls running at once; nil means one per processor core (extractive) or 4 (models).
    public var concurrency: Int?
    /// The most levels a summary tree may have.
    public var maxLevels: Int
    /// The account's limits, as numbers or as Moonshot's tier.
    public var limits: Limits
    public var tier: Int?
    public var retries: Retries
    /// Tried on PDFs that need a password to open; `--pdf-password` overrides it. Never written out.
    public var pdfPassword: String?
    /// When pages without a text layer are read by OCR: `auto` (when tesseract is installed), `always`, `never`.
    public var ocr: OCRMode = .auto
    /// What each call is told about the text around its inputs.
    public var context: ContextMode = .headings
    /// How each document's chunks become its summary.
    public var strategy: Strategy = .mapReduce
    /// The most tokens of an extract under `strategy: extract-abstract`; nil takes the default.
    public var extractTokens: Int?
    /// What the summary pages show.
    public var output = Output()
    /// Whether office files, EPUB and HTML are read too, through Kimi's file extraction.
    public var formats: Formats = .local
    /// Whether model calls are made online or through the platform's Batch API.
    public var mode: Mode = .online
    /// The Batch API's settings, for `mode: batch`.
    public var batch = Batch()

    public init(
        name: String = "default", description: String? = nil, backend: Backend = .extractive,
        chunking: Chunking = Chunking(), extractive: Extractive = Extractive(), llm: LLM = LLM(),
        prices: [String: Price] = [:], currency: String = "CNY", concurrency: Int? = nil, maxLevels: Int = 12,
        limits: Limits = Limits(), tier: Int? = nil, retries: Retries = Retries()
    ) {
        self.name = name
        self.description = description
        self.backend = backend
        self.chunking = chunking
        self.extractive = extractive
        self.llm = llm
        self.prices = prices
        self.currency = currency
        self.concurrency = concurrency
        self.maxLevels = maxLevels
        self.limits = limits
        self.tier = tier
        self.retries = retries
    }

    /// The built-in offline pipeline, the same as the shipped `pipelines/default.yaml`.
    public static let builtIn = PipelineConfig(
        name: "default",
        description: "Offline extractive summaries (centrality, centroid and position); needs no API key.",
        chunking: Chunking(chunkTokens: Chunking.extractiveDefault)
    )

    /// Moonshot's published prices (CNY per million tokens, input and output alike).
    public static let moonshotPrices: [String: Price] = [
        "moonshot-v1-8k": Price(input: 12, output: 12),
        "moonshot-v1-32k": Price(input: 24, output: 24),
        "moonshot-v1-128k": Price(input: 60, output: 60)
    ]

    /// The cost of `prompt` tokens (`cached` of them served from the prefix cache) and `completion`
    /// tokens on `model`, or 0 for a model without a price.
    public func cost(model: String?, prompt: Int, cached: Int = 0, completion: Int) -> Double {
        guard let model, let price = prices[model] else { return 0 }
        let hit = min(cached, prompt)
        let input = Double(prompt - hit) * price.input + Double(hit) * (price.cacheHit ?? price.input)
        return (input + Double(completion) * price.output) / 1_000_000
    }

    /// What `cached` prompt tokens on `model` saved against the cache-miss price.
    public func cacheSavings(model: String?, cached: Int) -> Double {
        guard let model, let price = prices[model], let hit = price.cacheHit else { return 0 }
        return Double(cached) * (price.input - hit) / 1_000_000
    }

    /// The model setting, or `extractive`, for logs and reports.
    public var modelName: String { backend == .extractive ? "extractive" : llm.model }

    /// A hash of every setting that shapes a document's output; a file is redone when it changes.
    ///
    /// Output-only settings (the pipeline's name, printed on each page) are in it, so a change
    /// rewrites the pages; they are not in the call keys, so the rewrite reuses every stored call.
    public func fingerprint(summarizer: any Summarizer, budget: Int) -> String {
        let text =
            "precis-output-v4|\(summarizer.fingerprint)|budget=\(budget)|levels=\(maxLevels)|name=\(name)|ocr=\(ocr.rawValue)"
            + (formats == .local ? "" : "|formats=\(formats.rawValue)")
            + "|context=\(context.rawValue)|sections=\(output.sections)" + strategyFingerprint
        return ContentHash.sha256(Data(text.utf8))
    }

    /// Checks values a YAML type check cannot.
    func validate(file: String) throws(PipelineError) {
        func check(_ ok: Bool, _ key: String, _ rule: String) throws(PipelineError) {
            if !ok { throw PipelineError(.config, "\(file): \(key) \(rule)") }
        }
        try check((chunking.chunkTokens ?? 64) >= 64, "chunking.chunk_tokens", "must be at least 64")
        try check((concurrency ?? 1) >= 1, "concurrency", "must be at least 1")
        try check((extractTokens ?? 64) >= 64, "extract_tokens", "must be at least 64")
        try check((2...32).contains(maxLevels), "max_levels", "must be between 2 and 32")
        try check(tier.map { (0...5).contains($0) } ?? true, "tier", "must be one of Moonshot's tiers, 0 to 5")
        for (key, value) in [
            ("concurrency", limits.concurrency), ("rpm", limits.rpm), ("tpm", limits.tpm), ("tpd", limits.tpd)
        ] {
            try check((value ?? 1) >= 1, "limits.\(key)", "must be at least 1")
        }
        try check((limits.windowSeconds ?? 1) > 0, "limits.window_seconds", "must be positive")
        try check(
            retries.maxAttempts >= 1 && retries.baseDelayMS >= 0 && retries.maxDelayMS >= retries.baseDelayMS,
            "retries", "needs max_attempts ≥ 1 and 0 ≤ base_delay_ms ≤ max_delay_ms")
        switch backend {
        case .extractive:
            let chunk = chunking.chunkTokens ?? Chunking.extractiveDefault
            for (key, value) in [
                ("map_tokens", extractive.mapTokens), ("reduce_tokens", extractive.reduceTokens),
                ("final_tokens", extractive.finalTokens)
            ] {
                try check(value >= 16, "extractive.\(key)", "must be at least 16")
            }
            for (key, value) in [("map_tokens", extractive.mapTokens), ("reduce_tokens", extractive.reduceTokens)] {
                try check(
                    value * 2 <= chunk, "extractive.\(key)",
                    "must be at most half of chunking.chunk_tokens, so that summaries can be merged")
            }
        case .openAICompatible:
            try llm.validate(file: file)
            try batch.validate(file: file)
        }
        try check(
            mode == .online || backend == .openAICompatible, "mode",
            "batch needs backend: openai-compatible; the extractive summarizer makes no model calls")
    }
}

extension PipelineConfig {
    public struct Chunking: Sendable, Hashable, Codable {
        /// The extractive pipeline's chunk size when the file gives none: large, so that a paper or a
        /// report is ranked whole (a sentence central to the whole text is never dropped by a chunk's
        /// local pick), while a book still goes through the map-reduce tree.
        public static let extractiveDefault = 24_000

        /// The most tokens of source text one call reads; for models, nil derives it from the window.
        public var chunkTokens: Int?

        public init(chunkTokens: Int? = nil) { self.chunkTokens = chunkTokens }

        enum CodingKeys: String, CodingKey { case chunkTokens = "chunk_tokens" }
    }

    public struct Extractive: Sendable, Hashable, Codable {
        public var mapTokens: Int
        public var reduceTokens: Int
        public var finalTokens: Int

        public init(mapTokens: Int = 180, reduceTokens: Int = 300, finalTokens: Int = 400) {
            self.mapTokens = mapTokens
            self.reduceTokens = reduceTokens
            self.finalTokens = finalTokens
        }

        enum CodingKeys: String, CodingKey {
            case mapTokens = "map_tokens"
            case reduceTokens = "reduce_tokens"
            case finalTokens = "final_tokens"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Extractive()
            mapTokens = try c.decodeIfPresent(Int.self, forKey: .mapTokens) ?? defaults.mapTokens
            reduceTokens = try c.decodeIfPresent(Int.self, forKey: .reduceTokens) ?? defaults.reduceTokens
            finalTokens = try c.decodeIfPresent(Int.self, forKey: .finalTokens) ?? defaults.finalTokens
        }
    }

    /// What the summary pages show beyond the summary itself.
    public struct Output: Sendable, Hashable, Codable {
        /// Whether each page lists its chapter (or section) summaries with their page ranges.
        public var sections: Bool

        public init(sections: Bool = false) { self.sections = sections }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sections = try c.decodeIfPresent(Bool.self, forKey: .sections) ?? false
        }
    }

    /// Price per million tokens.
    public struct Price: Sendable, Hashable, Codable {
        /// Input tokens the platform's prefix cache did not serve (a cache miss).
        public var input: Double
        /// Input tokens served from the prefix cache; nil when the model has no such price.
        public var cacheHit: Double?
        /// Output tokens, reasoning included.
        public var output: Double

        public init(input: Double, cacheHit: Double? = nil, output: Double) {
            self.input = input
            self.cacheHit = cacheHit
            self.output = output
        }

        enum CodingKeys: String, CodingKey {
            case input, output
            case cacheHit = "cache_hit"
        }

        /// `0.6 in (0.1 on a cache hit), 3 out USD per M tokens`, for `precis models`.
        public func line(currency: String) -> String {
            func n(_ value: Double) -> String { String(format: "%g", value) }
            let hit = cacheHit.map { " (\(n($0)) on a cache hit)" } ?? ""
            return "\(n(input)) in\(hit), \(n(output)) out \(currency) per M tokens"
        }
    }
}
