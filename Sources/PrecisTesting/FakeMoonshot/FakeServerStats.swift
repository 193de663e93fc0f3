/// What the fake server saw, for tests to check against precis's own report.
public struct FakeServerStats: Sendable {
    /// Chat requests received, whatever their fate.
    public var chatRequests = 0
    /// Chat requests being handled now, from their arrival to their last byte or failure.
    public var active = 0
    /// Chat requests answered 200 with a complete answer.
    public var completed = 0
    /// Answers by HTTP status.
    public var statuses: [Int: Int] = [:]
    /// Prompt and completion tokens of completed answers, as the server billed them.
    public var promptTokens = 0
    public var completionTokens = 0
    /// The part of `completionTokens` spent reasoning, and of `promptTokens` served from the prefix cache.
    public var reasoningTokens = 0
    public var cachedTokens = 0
    /// The most chat requests in progress at once.
    public var peakConcurrency = 0
    /// How many times each distinct request (model, messages, max_tokens) was completed.
    public var completions: [String: Int] = [:]
    /// Streamed answers among the completed ones.
    public var streamed = 0
    /// Tokens charged at admission (prompt + max_tokens), as the account's TPM counts them.
    public var chargedTokens = 0
    /// When each admitted chat request began and ended, for timelines in benchmarks.
    public var timeline: [(start: ContinuousClock.Instant, end: ContinuousClock.Instant)] = []
    /// Faults drawn at random (queued ones not counted).
    public var injectedFaults = 0
    /// Files uploaded and deleted through the Files API.
    public var uploads = 0
    public var deletedFiles = 0
    /// Extracted texts sent (`file-extract` contents read).
    public var extractions = 0
    /// Batches created, and batch lines answered (each one billed, like a completed chat request).
    public var batchesCreated = 0
    public var batchLines = 0
    /// The part of the token ledger billed through batch lines, at the batch price.
    public var batchPromptTokens = 0
    public var batchCompletionTokens = 0
    public var batchCachedTokens = 0
    /// Models requested, by id.
    public var models: [String: Int] = [:]
    /// Request fields the platform ignored without a word (`max_tokens` to a Kimi model, say):
    /// each one a setting that quietly did not apply.
    public var ignoredFields: [String] = []
    /// Completed partial-mode requests: continuations of a cut answer.
    public var continuations = 0
    /// Requests the simulated other client on the same account made.
    public var otherClientRequests = 0

    /// Answers with status 429.
    public var tooManyRequests: Int { statuses[429] ?? 0 }

    /// Answers with status 400.
    public var badRequests: Int { statuses[400] ?? 0 }

    /// Completed requests that had been completed before: money paid twice.
    public var repeatedCompletions: Int { completions.values.reduce(0) { $0 + max(0, $1 - 1) } }
}
