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
    public var createdAt: Date

    public init(key: String, stage: String, summarizer: String, output: String,
                promptTokens: Int, completionTokens: Int, createdAt: Date = Date()) {
        self.key = key
        self.stage = stage
        self.summarizer = summarizer
        self.output = output
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.createdAt = createdAt
    }
}
