import Crypto
import Foundation
import Summarization

/// A pipeline file: which summarizer, how text is chunked, how far the tree may grow.
public struct PipelineConfig: Sendable, Hashable, Codable {
    /// The summarizer behind the pipeline.
    public enum Backend: String, Sendable, Codable { case extractive }

    public struct Chunking: Sendable, Hashable, Codable {
        /// The most tokens of source text one call reads.
        public var chunkTokens: Int

        public init(chunkTokens: Int = 1200) { self.chunkTokens = chunkTokens }

        enum CodingKeys: String, CodingKey { case chunkTokens = "chunk_tokens" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            chunkTokens = try c.decodeIfPresent(Int.self, forKey: .chunkTokens) ?? Chunking().chunkTokens
        }
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
            case mapTokens = "map_tokens", reduceTokens = "reduce_tokens", finalTokens = "final_tokens"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Extractive()
            mapTokens = try c.decodeIfPresent(Int.self, forKey: .mapTokens) ?? defaults.mapTokens
            reduceTokens = try c.decodeIfPresent(Int.self, forKey: .reduceTokens) ?? defaults.reduceTokens
            finalTokens = try c.decodeIfPresent(Int.self, forKey: .finalTokens) ?? defaults.finalTokens
        }
    }

    public var name: String
    public var description: String?
    public var backend: Backend
    public var chunking: Chunking
    public var extractive: Extractive
    /// The most calls running at once; nil means one per processor core.
    public var concurrency: Int?
    /// The most levels a summary tree may have.
    public var maxLevels: Int

    public init(name: String = "default", description: String? = nil, backend: Backend = .extractive,
                chunking: Chunking = Chunking(), extractive: Extractive = Extractive(),
                concurrency: Int? = nil, maxLevels: Int = 8) {
        self.name = name
        self.description = description
        self.backend = backend
        self.chunking = chunking
        self.extractive = extractive
        self.concurrency = concurrency
        self.maxLevels = maxLevels
    }

    enum CodingKeys: String, CodingKey {
        case name, description, backend, chunking, extractive, concurrency
        case maxLevels = "max_levels"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PipelineConfig()
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? defaults.name
        description = try c.decodeIfPresent(String.self, forKey: .description)
        backend = try c.decodeIfPresent(Backend.self, forKey: .backend) ?? defaults.backend
        chunking = try c.decodeIfPresent(Chunking.self, forKey: .chunking) ?? defaults.chunking
        extractive = try c.decodeIfPresent(Extractive.self, forKey: .extractive) ?? defaults.extractive
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
        maxLevels = try c.decodeIfPresent(Int.self, forKey: .maxLevels) ?? defaults.maxLevels
    }

    /// The built-in offline pipeline, the same as the shipped `pipelines/default.yaml`.
    public static let builtIn = PipelineConfig(
        name: "default", description: "Offline extractive summaries (TextRank); needs no API key."
    )

    /// The summarizer this pipeline describes.
    public func makeSummarizer() -> any Summarizer {
        switch backend {
        case .extractive:
            ExtractiveSummarizer(options: .init(
                mapTokens: extractive.mapTokens, reduceTokens: extractive.reduceTokens, finalTokens: extractive.finalTokens
            ))
        }
    }

    /// A hash of every setting that shapes a document's output; a file is redone when it changes.
    public func fingerprint(summarizer: any Summarizer) -> String {
        let text = "precis-output-v1|\(summarizer.fingerprint)|chunk=\(chunking.chunkTokens)|levels=\(maxLevels)"
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Checks values a YAML type check cannot.
    func validate(file: String) throws(PipelineError) {
        func check(_ ok: Bool, _ key: String, _ rule: String) throws(PipelineError) {
            if !ok { throw PipelineError(.config, "\(file): \(key) \(rule)") }
        }
        try check(chunking.chunkTokens >= 64, "chunking.chunk_tokens", "must be at least 64")
        try check(extractive.mapTokens >= 16, "extractive.map_tokens", "must be at least 16")
        try check(extractive.reduceTokens >= 16, "extractive.reduce_tokens", "must be at least 16")
        try check(extractive.finalTokens >= 16, "extractive.final_tokens", "must be at least 16")
        try check(extractive.mapTokens * 2 <= chunking.chunkTokens, "extractive.map_tokens",
                  "must be at most half of chunking.chunk_tokens, so that summaries can be merged")
        try check(extractive.reduceTokens * 2 <= chunking.chunkTokens, "extractive.reduce_tokens",
                  "must be at most half of chunking.chunk_tokens, so that summaries can be merged")
        try check((concurrency ?? 1) >= 1, "concurrency", "must be at least 1")
        try check((2...32).contains(maxLevels), "max_levels", "must be between 2 and 32")
    }
}
