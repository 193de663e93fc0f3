import Foundation
import GRDB

/// Totals over a set of stored calls.
public struct CallTotals: Sendable, Hashable, Codable {
    public var calls = 0
    public var promptTokens = 0
    public var completionTokens = 0
    /// The part of `completionTokens` spent reasoning, and of `promptTokens` served from the prefix cache.
    public var reasoningTokens = 0
    public var cachedTokens = 0
    public var cost = 0.0
    /// Calls a remote batch answered, at the batch price.
    public var batchCalls = 0
    /// Bytes of summary text the calls hold.
    public var outputBytes = 0
    /// Whether some counts are estimates because the server sent none; not written out.
    public var usageEstimated = false

    enum CodingKeys: String, CodingKey {
        case calls, cost
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case outputBytes = "output_bytes"
        case reasoningTokens = "reasoning_tokens"
        case cachedTokens = "cached_tokens"
        case batchCalls = "batch_calls"
    }

    public init() {}
}

extension CheckpointStore {
    /// Totals over every stored call: what the store has paid for so far.
    public func callTotals() async throws(CheckpointError) -> CallTotals {
        try await read { try Self.totals($0, where: "1") }
    }

    /// Totals over the stored calls that no file's tree uses.
    public func garbageTotals() async throws(CheckpointError) -> CallTotals {
        try await read { try Self.totals($0, where: Self.unlinked) }
    }

    /// Deletes the stored calls no file uses, then compacts the database; returns what went.
    public func collectGarbage() async throws(CheckpointError) -> CallTotals {
        let freed = try await write { db in
            let totals = try Self.totals(db, where: Self.unlinked)
            try db.execute(sql: "DELETE FROM call WHERE \(Self.unlinked)")
            return totals
        }
        do {
            // VACUUM cannot run inside a transaction; the checkpoint first makes the WAL give its pages back.
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw CheckpointError(.write, "cannot compact the checkpoint store at \(url.path)", cause: error)
        }
        return freed
    }

    /// Forgets files: their states and their links, not the calls (``collectGarbage()`` drops those).
    public func removeFiles(_ paths: [String]) async throws(CheckpointError) {
        try await write { db in
            for path in paths {
                _ = try FileState.deleteOne(db, key: path)
                try FileCall.filter(Column("path") == path).deleteAll(db)
            }
        }
    }

    /// The bytes the store takes on disk, its WAL included.
    public var diskBytes: Int {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            total + (FileManager.default.size(atPath: url.path + suffix) ?? 0)
        }
    }

    private static let unlinked = "NOT EXISTS (SELECT 1 FROM file_call WHERE file_call.key = call.key)"

    private static func totals(_ db: Database, where condition: String) throws -> CallTotals {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*), COALESCE(SUM(promptTokens), 0), COALESCE(SUM(completionTokens), 0),
                       COALESCE(SUM(cost), 0), COALESCE(SUM(LENGTH(CAST(output AS BLOB))), 0),
                       COALESCE(SUM(reasoningTokens), 0), COALESCE(SUM(cachedTokens), 0), COALESCE(SUM(batch), 0)
                FROM call WHERE \(condition)
                """)
        var totals = CallTotals()
        if let row {
            totals.calls = row[0]
            totals.promptTokens = row[1]
            totals.completionTokens = row[2]
            totals.cost = row[3]
            totals.outputBytes = row[4]
            totals.reasoningTokens = row[5]
            totals.cachedTokens = row[6]
            totals.batchCalls = row[7]
        }
        return totals
    }
}
