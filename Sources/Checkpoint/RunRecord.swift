import Foundation
import GRDB

/// One invocation of `precis run`: when it ran, what it was given, and how it ended.
public struct RunRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"

    public var id: Int64?
    public var startedAt: Date
    /// Nil while the run is going, or when it was killed before it could say how it ended.
    public var endedAt: Date?
    public var exitCode: Int?
    /// How the run ended in words: `ok`, `some files failed`, `stopped: …`, `interrupted by SIGINT`.
    public var outcome: String?
    public var pipeline: String
    /// The process that ran it.
    public var pid: Int?
    /// The inputs as absolute paths (a JSON array), so `precis status` can tell what is pending.
    public var inputs: String?
    public var filesOK: Int
    public var filesFailed: Int
    public var filesSkipped: Int
    public var filesPending: Int
    public var callsMade: Int
    public var callsReused: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var cost: Double
    /// The currency of `cost`, from the pipeline's price table.
    public var currency: String?
    /// How the inputs were walked (hidden files, globs, size limit) as JSON, so `status` walks them alike.
    public var walk: String?

    public init(
        startedAt: Date, pipeline: String, pid: Int? = nil, inputs: [String] = [], currency: String? = nil,
        walk: String? = nil
    ) {
        self.startedAt = startedAt
        self.pipeline = pipeline
        self.pid = pid
        // A list of strings always encodes.
        self.inputs = String(decoding: (try? Self.encoder.encode(inputs)) ?? Data("[]".utf8), as: UTF8.self)
        self.filesOK = 0
        self.filesFailed = 0
        self.filesSkipped = 0
        self.filesPending = 0
        self.callsMade = 0
        self.callsReused = 0
        self.promptTokens = 0
        self.completionTokens = 0
        self.cost = 0
        self.currency = currency
        self.walk = walk
    }

    /// The inputs the run was given.
    public var inputList: [String] {
        // Written by the initializer above; a record from before runs kept their inputs has none.
        guard let inputs else { return [] }
        do { return try JSONDecoder().decode([String].self, from: Data(inputs.utf8)) } catch { return [] }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }()

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
