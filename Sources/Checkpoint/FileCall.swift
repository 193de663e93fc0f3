import GRDB

/// A link from a file to a stored call its summary tree uses; a call no file links to is garbage.
struct FileCall: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "file_call"

    var path: String
    var key: String
}
