import Checkpoint
import Foundation
import PostgresNIO

/// The store in a PostgreSQL database that many workers share, behind the same seam as the folder's SQLite file.
///
/// Calls are shared by every folder the database serves, as their keys are content hashes. Files,
/// their links and runs belong to a scope, by default the output folder, so two jobs on one
/// database keep apart. Each statement commits on its own, so a worker killed at any moment loses
/// at most its calls in flight, as with SQLite.
public final class PostgresStore: RunStore {
    public let database: Database
    /// The job the files and runs belong to.
    public let scope: String

    /// Connects and brings the schema up to date.
    public init(_ address: StoreAddress, scope: String) async throws(FleetError) {
        database = Database(address)
        self.scope = scope
        try await Schema.migrate(database)
    }

    public var location: String { "\(database.address) (job \(scope))" }

    /// A link path as PostgreSQL can hold it: text there cannot hold the NUL that keeps the folder
    /// summary's links apart from any file's, so that prefix becomes `//`, which no file id starts with.
    static func linkPath(_ path: String) -> String {
        path.hasPrefix("\u{0}") ? "//" + path.dropFirst() : path
    }

    /// Runs `body`, turning the database's errors into the store's own.
    @discardableResult
    func checked<T>(_ code: CheckpointError.Code, _ body: () async throws(FleetError) -> T)
        async throws(CheckpointError) -> T
    {
        do { return try await body() } catch {
            throw CheckpointError(code, error.message, cause: error.cause)
        }
    }

    // MARK: Calls

    public func call(key: String) async throws(CheckpointError) -> StoredCall? {
        try await checked(.read) { () async throws(FleetError) in
            try await database.query("SELECT \(unescaped: Self.callColumns) FROM precis.call WHERE key = \(key)").first
                .map(Self.call)
        }
    }

    public func save(_ call: StoredCall, for path: String?) async throws(CheckpointError) {
        try await checked(.write) { () async throws(FleetError) in
            // One statement: the call and its link commit together, and a call already kept wins.
            try await database.query(
                """
                WITH saved AS (
                  INSERT INTO precis.call (key, stage, summarizer, output, prompt_tokens, completion_tokens, reasoning_tokens,
                    cached_tokens, model, truncated, usage_estimated, cost, batch, created_at)
                  VALUES (\(call.key), \(call.stage), \(call.summarizer), \(call.output), \(call.promptTokens), \(call.completionTokens),
                    \(call.reasoningTokens), \(call.cachedTokens), \(call.model), \(call.truncated), \(call.usageEstimated), \(call.cost),
                    \(call.batch), \(call.createdAt))
                  ON CONFLICT (key) DO NOTHING)
                INSERT INTO precis.file_call (scope, path, key)
                SELECT \(scope), \(path.map(Self.linkPath)), \(call.key) WHERE \(path.map(Self.linkPath))::text IS NOT NULL ON CONFLICT DO NOTHING
                """)
        }
    }

    public func callTotals(keys: Set<String>) async throws(CheckpointError) -> CallTotals {
        try await checked(.read) { () async throws(FleetError) in
            let rows = try await database.query(
                """
                SELECT count(*), coalesce(sum(prompt_tokens), 0)::bigint, coalesce(sum(completion_tokens), 0)::bigint,
                  coalesce(sum(reasoning_tokens), 0)::bigint, coalesce(sum(cached_tokens), 0)::bigint, coalesce(sum(cost), 0)::float8,
                  count(*) FILTER (WHERE batch), coalesce(sum(octet_length(output)), 0)::bigint, coalesce(bool_or(usage_estimated), false)
                FROM precis.call WHERE key = ANY(\(keys.sorted()))
                """)
            var totals = CallTotals()
            if let row = rows.first {
                let columns = try Self.decode(row, (Int, Int, Int, Int, Int, Double, Int, Int, Bool).self)
                (
                    totals.calls, totals.promptTokens, totals.completionTokens, totals.reasoningTokens,
                    totals.cachedTokens,
                    totals.cost, totals.batchCalls, totals.outputBytes, totals.usageEstimated
                ) = columns
            }
            return totals
        }
    }

    public func summary(of path: String) async throws(CheckpointError) -> String? {
        try await checked(.read) { () async throws(FleetError) in
            try PostgresStore.first(
                try await database.query(
                    """
                    SELECT c.output FROM precis.call c JOIN precis.file_call l ON l.key = c.key
                    WHERE l.scope = \(scope) AND l.path = \(Self.linkPath(path)) AND c.stage = 'final' ORDER BY c.created_at DESC LIMIT 1
                    """), String.self)
        }
    }

    public func link(_ keys: Set<String>, to path: String) async throws(CheckpointError) {
        try await checked(.write) { () async throws(FleetError) in
            try await database.query(relink(keys, to: path))
        }
    }

    /// The number of stored calls, in every job.
    public func callCount() async throws(CheckpointError) -> Int {
        try await checked(.read) { () async throws(FleetError) in
            try PostgresStore.first(try await database.query("SELECT count(*) FROM precis.call"), Int.self) ?? 0
        }
    }

    // MARK: Files

    public func fileStates() async throws(CheckpointError) -> [FileState] {
        try await checked(.read) { () async throws(FleetError) in
            try await database.query(
                "SELECT \(unescaped: Self.fileColumns) FROM precis.file WHERE scope = \(scope) ORDER BY path"
            ).map(Self.file)
        }
    }

    public func save(_ state: FileState) async throws(CheckpointError) {
        try await checked(.write) { () async throws(FleetError) in try await database.query(upsert(state)) }
    }

    public func save(_ state: FileState, calls keys: Set<String>) async throws(CheckpointError) {
        try await checked(.write) { () async throws(FleetError) in
            try await database.transaction { (transaction) async throws(FleetError) in
                try await transaction.query(upsert(state))
                try await transaction.query(relink(keys, to: state.path))
            }
        }
    }

    public func removeFiles(_ paths: [String]) async throws(CheckpointError) {
        try await checked(.write) { () async throws(FleetError) in
            try await database.query(
                """
                WITH gone AS (DELETE FROM precis.file_call WHERE scope = \(scope) AND path = ANY(\(paths)))
                DELETE FROM precis.file WHERE scope = \(scope) AND path = ANY(\(paths))
                """)
        }
    }

    /// Links exactly `keys` to `path`: the links it had to other calls go, in the same statement.
    private func relink(_ keys: Set<String>, to path: String) -> PostgresQuery {
        let path = Self.linkPath(path)
        let keys = keys.sorted()
        return """
            WITH gone AS (DELETE FROM precis.file_call WHERE scope = \(scope) AND path = \(path) AND NOT (key = ANY(\(keys))))
            INSERT INTO precis.file_call (scope, path, key) SELECT \(scope), \(path), unnest(\(keys)::text[]) ON CONFLICT DO NOTHING
            """
    }

    private func upsert(_ s: FileState) -> PostgresQuery {
        """
        INSERT INTO precis.file (scope, path, content_hash, size, modified, pipeline_fingerprint, status, error, output_path,
          title, gist, chunks, levels, calls, prompt_tokens, completion_tokens, updated_at)
        VALUES (\(scope), \(s.path), \(s.contentHash), \(s.size), \(s.modified), \(s.pipelineFingerprint), \(s.status.rawValue), \(s.error),
          \(s.outputPath), \(s.title), \(s.gist), \(s.chunks), \(s.levels), \(s.calls), \(s.promptTokens), \(s.completionTokens), \(s.updatedAt))
        ON CONFLICT (scope, path) DO UPDATE SET content_hash = excluded.content_hash, size = excluded.size, modified = excluded.modified,
          pipeline_fingerprint = excluded.pipeline_fingerprint, status = excluded.status, error = excluded.error,
          output_path = excluded.output_path, title = excluded.title, gist = excluded.gist, chunks = excluded.chunks,
          levels = excluded.levels, calls = excluded.calls, prompt_tokens = excluded.prompt_tokens,
          completion_tokens = excluded.completion_tokens, updated_at = excluded.updated_at
        """
    }
}
