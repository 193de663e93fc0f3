import Foundation
import GRDB

/// What a run learned about a model on a server: its window and how its tokenizer counts
/// against the estimate. The key (and anything secret) never goes in.
public struct ServerFacts: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "server_model"

    /// The base URL the calls went to.
    public var server: String
    public var model: String
    public var contextWindow: Int?
    public var tokenRatio: Double?
    /// Tokens the model's tokenizer counts per CJK character, measured apart from other scripts.
    public var cjkPerCharacter: Double?
    /// Which endpoint counted the tokens.
    public var ratioSource: String?
    public var measuredAt: Date

    public init(
        server: String, model: String, contextWindow: Int? = nil, tokenRatio: Double? = nil,
        cjkPerCharacter: Double? = nil,
        ratioSource: String? = nil, measuredAt: Date = Date()
    ) {
        self.server = server
        self.model = model
        self.contextWindow = contextWindow
        self.tokenRatio = tokenRatio
        self.cjkPerCharacter = cjkPerCharacter
        self.ratioSource = ratioSource
        self.measuredAt = measuredAt
    }
}
