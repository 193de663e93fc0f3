import Foundation
import GRDB

/// One invocation of `precis run`: when it ran and how it ended.
public struct RunRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"

    public var id: Int64?
    public var startedAt: Date
    public var endedAt: Date?
    public var exitCode: Int?
    public var pipeline: String
    public var filesOK: Int
    public var filesFailed: Int
    public var filesSkipped: Int
    public var callsMade: Int
    public var callsReused: Int

    public init(startedAt: Date, pipeline: String) {
        self.startedAt = startedAt
        self.pipeline = pipeline
        self.filesOK = 0
        self.filesFailed = 0
        self.filesSkipped = 0
        self.callsMade = 0
        self.callsReused = 0
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
