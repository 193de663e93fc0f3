import Foundation

/// What a run did, file by file, as written to `OUT/report.json`.
public struct RunReport: Sendable, Codable {
    /// One input file's outcome.
    public struct File: Sendable, Codable, Hashable {
        /// `skipped` is unchanged since the last run; `pending` was not finished because the run stopped.
        public enum Status: String, Sendable, Codable { case ok, failed, skipped, pending }

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
        /// The part of `completionTokens` a thinking model spent reasoning.
        public var reasoningTokens = 0
        /// The part of `promptTokens` the platform's prefix cache served, and what that saved.
        public var cachedTokens = 0
        public var cacheSaved = 0.0
        /// The part of `callsMade` a remote batch answered, priced at the batch discount.
        public var batchCalls = 0
        /// Requests the server answered for the calls made, continuations and re-asks included.
        public var requests = 0
        /// What this run's calls for the file cost, from the pipeline's price table.
        public var cost: Double
        /// Calls whose answer was cut at `max_tokens` and kept.
        public var truncatedCalls: Int
        /// Whether some token counts are estimates because the server reported none.
        public var tokensEstimated: Bool
        /// Requests sent again after a retryable failure.
        public var retries: Int
        public var language: String?
        public var seconds: Double
        /// The summary's first sentence, for the index; not in the JSON.
        public var gist: String?
        /// Pending because its next calls wait in a remote batch, not because the run stopped; not in the JSON.
        public var waitsForBatch = false

        enum CodingKeys: String, CodingKey {
            case path, status, error, title, output, encoding, warnings, chunks, levels, seconds, cost, language
            case callsMade = "calls_made"
            case callsReused = "calls_reused"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case truncatedCalls = "truncated_calls"
            case tokensEstimated = "tokens_estimated"
            case retries
            case reasoningTokens = "reasoning_tokens"
            case cachedTokens = "cached_tokens"
            case cacheSaved = "cache_saved"
            case batchCalls = "batch_calls"
            case requests
        }

        public init(
            path: String, status: Status, error: String? = nil, title: String? = nil, output: String? = nil,
            encoding: String? = nil, warnings: [String] = [], chunks: Int = 0, levels: Int = 0,
            callsMade: Int = 0, callsReused: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0,
            cost: Double = 0, truncatedCalls: Int = 0, tokensEstimated: Bool = false, retries: Int = 0,
            language: String? = nil,
            seconds: Double = 0, gist: String? = nil
        ) {
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
            self.cost = RunReport.roundedCost(cost)
            self.truncatedCalls = truncatedCalls
            self.tokensEstimated = tokensEstimated
            self.retries = retries
            self.language = language
            self.seconds = seconds
            self.gist = gist
        }
    }

    /// Sums over all files; tokens count only calls made in this run.
    public struct Totals: Sendable, Codable, Hashable {
        public var files = 0, ok = 0, failed = 0, skipped = 0, pending = 0
        public var callsMade = 0, callsReused = 0, batchCalls = 0, requests = 0
        public var promptTokens = 0, completionTokens = 0
        public var reasoningTokens = 0, cachedTokens = 0
        public var cacheSaved = 0.0
        public var cost = 0.0
        public var truncatedCalls = 0
        public var tokensEstimated = false
        public var retries = 0

        enum CodingKeys: String, CodingKey {
            case files, ok, failed, skipped, pending, cost, retries
            case callsMade = "calls_made"
            case callsReused = "calls_reused"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case truncatedCalls = "truncated_calls"
            case tokensEstimated = "tokens_estimated"
            case reasoningTokens = "reasoning_tokens"
            case cachedTokens = "cached_tokens"
            case cacheSaved = "cache_saved"
            case batchCalls = "batch_calls"
            case requests
        }
    }

    public var pipeline: String
    /// The model setting of the pipeline, or `extractive`.
    public var model: String
    public var currency: String
    public var startedAt: Date
    public var seconds: Double
    /// Why the run stopped early (a refused key, an empty balance), if it did.
    public var stopped: String?
    /// What stopped it: the account, or a model the platform does not serve (which exits 2).
    public var stop: StopKind?
    /// The signal that interrupted the run, if one did.
    public var interrupted: Signal?
    /// Calls cut off in flight when an interrupted run could not wait for them.
    public var abandonedCalls = 0
    /// Files an earlier run summarized whose inputs are gone; their outputs are kept.
    public var inputsGone: [String] = []
    /// Outputs removed by `--prune` because their inputs are gone.
    public var pruned: [String] = []
    public var files: [File]
    /// The summary of the whole folder (`--corpus-summary`); its calls count in the totals, not its file.
    public var corpus: File?
    public var totals: Totals
    /// What a `mode: batch` run did with the platform's batches; nil online.
    public var batch: BatchStep?
    /// This worker's part, when the run is one worker of a fleet on a shared store.
    public var worker: WorkerStep?
    /// The part of the inputs this run summarized (`--shard i/N`).
    public var shard: String?
    /// The most memory the process held at once (its peak resident set), for a run's own record.
    public var peakMemoryBytes: Int?

    enum CodingKeys: String, CodingKey {
        case pipeline, model, currency, seconds, stopped, stop, interrupted, files, totals, pruned, corpus, batch,
            worker, shard
        case startedAt = "started_at"
        case abandonedCalls = "abandoned_calls"
        case inputsGone = "inputs_gone"
        case peakMemoryBytes = "peak_memory_bytes"
    }

    /// This process's peak resident set so far, in bytes.
    static func peakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // Linux counts it in kilobytes.
        return usage.ru_maxrss * 1024
    }

    public init(
        pipeline: String, model: String = "extractive", currency: String = "CNY", startedAt: Date, seconds: Double,
        stopped: String? = nil, files: [File]
    ) {
        self.pipeline = pipeline
        self.model = model
        self.currency = currency
        self.startedAt = startedAt
        self.seconds = seconds
        self.stopped = stopped
        self.files = files
        var totals = Totals()
        for file in files {
            totals.files += 1
            switch file.status {
            case .ok: totals.ok += 1
            case .failed: totals.failed += 1
            case .skipped: totals.skipped += 1
            case .pending: totals.pending += 1
            }
            totals.spend(file)
        }
        self.totals = totals
    }

    /// Adds the folder summary and counts its calls.
    mutating func add(corpus file: File) {
        corpus = file
        totals.spend(file)
    }

    /// Costs kept to a millionth of the currency unit, below any price's precision.
    static func roundedCost(_ cost: Double) -> Double {
        (cost * 1_000_000).rounded() / 1_000_000
    }

    /// The report as pretty, key-sorted JSON.
    public func json() throws(PipelineError) -> Data {
        try JSONOutput.encode(self)
    }

    /// The outcome in a few words, for the run record.
    public var outcome: String {
        if let interrupted { return "interrupted by \(interrupted)" }
        if let stopped { return "stopped: \(stopped)" }
        if totals.failed > 0 { return "\(totals.failed) file(s) failed" }
        if let batch, batch.waiting > 0 { return "\(batch.waiting) file(s) waiting for batches" }
        return corpus?.status == .failed ? "the folder summary failed" : "ok"
    }

    /// For a run that ended early: what is done, what is left, and how to go on.
    public var leftLine: String? {
        guard interrupted != nil || stopped != nil else { return nil }
        let done = totals.ok + totals.skipped
        var line = "\(outcome): \(done) file(s) done, \(totals.pending) pending"
        if totals.failed > 0 { line += ", \(totals.failed) failed" }
        line += "; \(totals.callsMade) call(s) made and saved"
        if abandonedCalls > 0 { line += ", \(abandonedCalls) abandoned in flight" }
        return line + "; run the same command again to resume"
    }

    /// The one-line summary printed at the end of a run.
    public var summaryLine: String {
        let t = totals
        let approx = t.tokensEstimated ? "~" : ""
        let pending = t.pending > 0 ? ", \(t.pending) pending" : ""
        let cached = t.cachedTokens > 0 ? " (\(t.cachedTokens) cached)" : ""
        let reasoning = t.reasoningTokens > 0 ? " (\(t.reasoningTokens) reasoning)" : ""
        var line =
            "\(t.files) files: \(t.ok) ok, \(t.failed) failed, \(t.skipped) skipped as unchanged\(pending); calls \(t.callsMade) made, \(t.callsReused) reused; tokens \(approx)\(t.promptTokens) in\(cached), \(approx)\(t.completionTokens) out\(reasoning)"
        line += "; cost " + (t.cost > 0 ? String(format: "%.4f", t.cost) : "0") + " " + currency
        if t.cacheSaved > 0 {
            line +=
                t.cacheSaved < 0.0001 ? " (cache saved <0.0001)" : String(format: " (cache saved %.4f)", t.cacheSaved)
        }
        if t.truncatedCalls > 0 { line += "; \(t.truncatedCalls) truncated" }
        if t.retries > 0 { line += "; \(t.retries) retried" }
        if let batch { line += "; " + batch.line }
        return line + String(format: "; %.1f s", seconds)
    }
}

extension RunReport.Totals {
    /// Counts what a file's calls spent: calls, tokens, cost, truncations and retries.
    mutating func spend(_ file: RunReport.File) {
        callsMade += file.callsMade
        requests += file.requests
        batchCalls += file.batchCalls
        callsReused += file.callsReused
        promptTokens += file.promptTokens
        completionTokens += file.completionTokens
        reasoningTokens += file.reasoningTokens
        cachedTokens += file.cachedTokens
        cacheSaved = RunReport.roundedCost(cacheSaved + file.cacheSaved)
        cost = RunReport.roundedCost(cost + file.cost)
        truncatedCalls += file.truncatedCalls
        retries += file.retries
        tokensEstimated = tokensEstimated || file.tokensEstimated
    }
}

extension RunReport.File {
    /// Takes the calls, tokens and cost of a file that did not finish from what its calls spent.
    mutating func count(_ spent: DocumentSpend.Tally) {
        callsMade = spent.callsMade
        requests = spent.requests
        batchCalls = spent.batchCalls
        callsReused = spent.callsReused
        promptTokens = spent.promptTokens
        completionTokens = spent.completionTokens
        reasoningTokens = spent.reasoningTokens
        cachedTokens = spent.cachedTokens
        cacheSaved = RunReport.roundedCost(spent.cacheSaved)
        cost = RunReport.roundedCost(spent.cost)
        truncatedCalls = spent.truncatedCalls
        tokensEstimated = spent.usageEstimated
        retries = spent.retries
    }
}
