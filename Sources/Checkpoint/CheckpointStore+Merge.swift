import Foundation
import GRDB

extension CheckpointStore {
    /// Copies another store's calls, files and links into this one: how `precis merge` joins the shards' stores.
    ///
    /// A call already here is kept (a key names one answer); a file's state comes from the store that
    /// has it, as shards own disjoint files.
    public func absorb(_ other: URL) async throws(CheckpointError) {
        // Brings the other store's schema up to date first, so the columns line up.
        _ = try await CheckpointStore(url: other, create: false)
        do {
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [other.path])
                defer { try? db.execute(sql: "DETACH DATABASE shard") }
                try db.inTransaction {
                    try db.execute(sql: "INSERT OR IGNORE INTO call SELECT * FROM shard.call")
                    try db.execute(sql: "INSERT OR REPLACE INTO file SELECT * FROM shard.file")
                    try db.execute(sql: "INSERT OR IGNORE INTO file_call SELECT * FROM shard.file_call")
                    try db.execute(sql: "INSERT OR IGNORE INTO extracted_text SELECT * FROM shard.extracted_text")
                    return .commit
                }
            }
        } catch {
            throw CheckpointError(.write, "cannot join \(other.path) into \(url.path)", cause: error)
        }
    }
}
