import Foundation

/// What a run did, file by file, as written to `OUT/report.json`.
public struct RunReport: Sendable, Codable {
    /// One input file's outcome.
    public struct File: Sendable, Codable, Hashable {
        public enum Status: String, Sendable, Codable { case ok, failed, skipped }

        public var path: String
        public var status: Status
        public var error: String?
        public var title: String?
        public var output: String?
        public var encoding: String?
        public var warnings: [String]
        public var chunks: Int
        public var levels: Int
        public var callsMade: Int
        public var callsReused: Int
        public var promptTokens: Int
        public var completionTokens: Int
        public var seconds: Double
        /// The summary's first sentence, for the index; not in the JSON.
        public var gist: String?

        enum CodingKeys: String, CodingKey {
            case path, status, error, title, output, encoding, warnings, chunks, levels, seconds
            case callsMade = "calls_made", callsReused = "calls_reused"
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        }

        public init(path: String, status: Status, error: String? = nil, title: String? = nil, output: String? = nil,
                    encoding: String? = nil, warnings: [String] = [], chunks: Int = 0, levels: Int = 0,
                    callsMade: Int = 0, callsReused: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0,
                    seconds: Double = 0, gist: String? = nil) {
            self.path = path
            self.status = status
            self.error = error
            self.title = title
            self.output = output
            self.encoding = encoding
            self.warnings = warnings
            self.chunks = chunks
            self.levels = levels
            self.callsMade = callsMade
            self.callsReused = callsReused
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.seconds = seconds
            self.gist = gist
        }
    }

    /// Sums over all files; tokens count only calls made in this run.
    public struct Totals: Sendable, Codable, Hashable {
        public var files = 0, ok = 0, failed = 0, skipped = 0
        public var callsMade = 0, callsReused = 0
        public var promptTokens = 0, completionTokens = 0

        enum CodingKeys: String, CodingKey {
            case files, ok, failed, skipped
            case callsMade = "calls_made", callsReused = "calls_reused"
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        }
    }

    public var pipeline: String
    public var startedAt: Date
    public var seconds: Double
    public var files: [File]
    public var totals: Totals

    enum CodingKeys: String, CodingKey {
        case pipeline, seconds, files, totals
        case startedAt = "started_at"
    }

    public init(pipeline: String, startedAt: Date, seconds: Double, files: [File]) {
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.seconds = seconds
        self.files = files
        var totals = Totals()
        for file in files {
            totals.files += 1
            switch file.status {
            case .ok: totals.ok += 1
            case .failed: totals.failed += 1
            case .skipped: totals.skipped += 1
            }
            totals.callsMade += file.callsMade
            totals.callsReused += file.callsReused
            totals.promptTokens += file.promptTokens
            totals.completionTokens += file.completionTokens
        }
        self.totals = totals
    }

    /// The report as pretty, key-sorted JSON.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain values cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The one-line summary printed at the end of a run.
    public var summaryLine: String {
        let t = totals
        return "\(t.files) files: \(t.ok) ok, \(t.failed) failed, \(t.skipped) unchanged; calls \(t.callsMade) made, \(t.callsReused) reused; tokens \(t.promptTokens) in, \(t.completionTokens) out; \(String(format: "%.1f", seconds)) s"
    }
}
