import Foundation
import GRDB

/// A finished summarizer call, kept by its content-addressed key so that no run pays for it twice.
public struct StoredCall: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "call"

    public var key: String
    public var stage: String
    /// The summarizer fingerprint that made it.
    public var summarizer: String
    public var output: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// The part of `completionTokens` a thinking model spent reasoning (its text is never stored).
    public var reasoningTokens: Int
    /// The part of `promptTokens` the platform's prefix cache served.
    public var cachedTokens: Int
    /// The model that answered, for model backends.
    public var model: String?
    /// Whether the answer was cut at its token limit.
    public var truncated: Bool
    /// Whether the token counts are estimates because the server sent none.
    public var usageEstimated: Bool
    /// What the call cost, from the pipeline's price table when it was made.
    public var cost: Double
    /// Whether a remote batch answered the call, at the batch price.
    public var batch: Bool
    public var createdAt: Date

    public init(
        key: String, stage: String, summarizer: String, output: String, promptTokens: Int, completionTokens: Int,
        reasoningTokens: Int = 0, cachedTokens: Int = 0, model: String? = nil, truncated: Bool = false,
        usageEstimated: Bool = false, cost: Double = 0, batch: Bool = false, createdAt: Date = Date()
    ) {
        self.key = key
        self.stage = stage
        self.summarizer = summarizer
        self.output = output
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.reasoningTokens = reasoningTokens
        self.cachedTokens = cachedTokens
        self.model = model
        self.truncated = truncated
        self.usageEstimated = usageEstimated
        self.cost = cost
        self.batch = batch
        self.createdAt = createdAt
    }
}
