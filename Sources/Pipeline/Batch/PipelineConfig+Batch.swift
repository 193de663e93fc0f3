import ChatAPI

extension PipelineConfig {
    /// How a pipeline's model calls are sent.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// One request per call, answered at once.
        case online
        /// Calls go into the platform's Batch API, answered within a completion window at a discount;
        /// each run collects what finished and submits the next level.
        case batch
    }

    /// What runs online when a batch line has failed `retries` times.
    public enum BatchFallback: String, Sendable, Hashable, Codable, CaseIterable {
        /// Nothing: the document fails, naming the line's last error.
        case none
        /// The call is made online, at the online price.
        case online
    }

    /// The `batch:` settings of a pipeline file.
    public struct Batch: Sendable, Hashable, Codable {
        /// How long the platform may take, from `12h` to `7d`.
        public var completionWindow: String
        /// The share of the online price a batch call saves: 0.4 on Kimi (batch calls cost 60%).
        public var discount: Double
        /// Times a failed line goes into a later batch before it fails or falls back.
        public var retries: Int
        public var fallback: BatchFallback
        /// The most requests one batch holds; a level with more is split across batches.
        public var maxLines: Int
        /// `--wait`'s first pause between polls, in seconds; it doubles up to `poll_max_seconds`.
        public var pollSeconds: Double
        public var pollMaxSeconds: Double

        public init(
            completionWindow: String = "24h", discount: Double = 0.4, retries: Int = 2, fallback: BatchFallback = .none,
            maxLines: Int = 10_000, pollSeconds: Double = 15, pollMaxSeconds: Double = 300
        ) {
            self.completionWindow = completionWindow
            self.discount = discount
            self.retries = retries
            self.fallback = fallback
            self.maxLines = maxLines
            self.pollSeconds = pollSeconds
            self.pollMaxSeconds = pollMaxSeconds
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case completionWindow = "completion_window"
            case discount, retries, fallback
            case maxLines = "max_lines"
            case pollSeconds = "poll_seconds"
            case pollMaxSeconds = "poll_max_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Batch()
            completionWindow = try c.decodeIfPresent(String.self, forKey: .completionWindow) ?? d.completionWindow
            discount = try c.decodeIfPresent(Double.self, forKey: .discount) ?? d.discount
            retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? d.retries
            fallback = try c.decodeIfPresent(BatchFallback.self, forKey: .fallback) ?? d.fallback
            maxLines = try c.decodeIfPresent(Int.self, forKey: .maxLines) ?? d.maxLines
            pollSeconds = try c.decodeIfPresent(Double.self, forKey: .pollSeconds) ?? d.pollSeconds
            pollMaxSeconds = try c.decodeIfPresent(Double.self, forKey: .pollMaxSeconds) ?? d.pollMaxSeconds
        }

        func validate(file: String) throws(PipelineError) {
            do { try ChatAPI.Batch.validate(completionWindow: completionWindow, metadata: [:]) } catch {
                throw PipelineError(.config, "\(file): batch.completion_window \(error.message)")
            }
            func check(_ ok: Bool, _ key: String, _ rule: String) throws(PipelineError) {
                if !ok { throw PipelineError(.config, "\(file): batch.\(key) \(rule)") }
            }
            try check((0..<1).contains(discount), "discount", "must be at least 0 and below 1")
            try check(retries >= 0, "retries", "must be 0 or more")
            try check(maxLines >= 1, "max_lines", "must be at least 1")
            try check(
                pollSeconds > 0 && pollMaxSeconds >= pollSeconds, "poll_seconds",
                "must be positive and at most poll_max_seconds")
        }
    }

    /// The pipeline with `mode: batch`, as `--batch` asks.
    /// - Throws: ``PipelineError`` `.config` for a pipeline that makes no model calls.
    public func batchMode() throws(PipelineError) -> PipelineConfig {
        guard backend == .openAICompatible else {
            throw PipelineError(
                .config, "--batch needs a model pipeline (such as kimi); \(name) is extractive and makes no model calls"
            )
        }
        var config = self
        config.mode = .batch
        return config
    }

    /// Which formats are read beyond TXT, Markdown and PDF.
    public enum Formats: String, Sendable, Hashable, Codable, CaseIterable {
        /// Only what precis reads itself.
        case local
        /// DOC/DOCX, PPT/PPTX, XLS/XLSX, EPUB and HTML too, through Kimi's file extraction.
        case kimi
    }

    /// Whether some files are read through Kimi's file extraction.
    var readsThroughKimi: Bool { formats == .kimi || ocr == .kimi }

    /// The share of the online price a call pays: the batch price in batch mode.
    var priceFactor: Double { mode == .batch ? 1 - batch.discount : 1 }
}
