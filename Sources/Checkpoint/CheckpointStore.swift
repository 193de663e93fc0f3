import Foundation
import GRDB

/// The SQLite store of finished calls and per-file state, in `OUT/.precis/state.sqlite`.
///
/// Each finished call is committed in its own transaction before anything uses it, so a run killed
/// at any moment loses at most the calls in flight. WAL with `synchronous = NORMAL` makes every
/// commit survive a killed process (the WAL is in the OS's hands once `write` returns); only a
/// power loss can drop the last commits, which then cost a repeated call, never a corrupt store.
public final class CheckpointStore: Sendable {
    let pool: DatabasePool
    /// Where the database lives.
    public let url: URL

    /// Opens (creating if needed) the store at `url` and brings its schema up to date.
    /// - Parameter create: whether a missing store is created; when false, a missing store is an `.open` error.
    public init(url: URL, create: Bool = true) async throws(CheckpointError) {
        self.url = url
        if !create && !FileManager.default.fileExists(atPath: url.path) {
            throw CheckpointError(.open, "no checkpoint store at \(url.path)")
        }
        try Self.refuseEmptied(url)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            pool = try await Self.open(url)
        } catch let error as DatabaseError where Self.damage.contains(error.resultCode) {
            throw Self.damaged(url, cause: error)
        } catch {
            throw CheckpointError(.open, "cannot open the checkpoint store at \(url.path)", cause: error)
        }
    }

    /// Opens the pool and migrates it. Two processes opening a new store at once (a run starting
    /// while `precis status` looks) can meet mid-way through setting up WAL, which SQLite answers
    /// with an error rather than a wait; the open is tried again for up to two seconds.
    private static func open(_ url: URL) async throws -> DatabasePool {
        let configuration: Configuration = {
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            return config
        }()
        var attempts = 0
        while true {
            do {
                return try await offThePool { () throws -> DatabasePool in
                    let pool = try DatabasePool(path: url.path, configuration: configuration)
                    try migrator.migrate(pool)
                    return pool
                }
            } catch let error as DatabaseError
                where attempts < 40 && [.SQLITE_ERROR, .SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode)
            {
                attempts += 1
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Runs `work` on a Dispatch thread. Opening and migrating are synchronous in GRDB and may
    /// wait out another process's lock (the busy timeout); on the cooperative pool, two such
    /// waits would stall every task of a 2-core machine.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "call") { t in
                t.primaryKey("key", .text)
                t.column("stage", .text).notNull()
                t.column("summarizer", .text).notNull()
                t.column("output", .text).notNull()
                t.column("promptTokens", .integer).notNull()
                t.column("completionTokens", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "file") { t in
                t.primaryKey("path", .text)
                t.column("contentHash", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("modified", .datetime).notNull()
                t.column("pipelineFingerprint", .text).notNull()
                t.column("status", .text).notNull()
                t.column("error", .text)
                t.column("outputPath", .text)
                t.column("title", .text)
                t.column("gist", .text)
                t.column("chunks", .integer).notNull()
                t.column("levels", .integer).notNull()
                t.column("calls", .integer).notNull()
                t.column("promptTokens", .integer).notNull()
                t.column("completionTokens", .integer).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("exitCode", .integer)
                t.column("pipeline", .text).notNull()
                t.column("filesOK", .integer).notNull()
                t.column("filesFailed", .integer).notNull()
                t.column("filesSkipped", .integer).notNull()
                t.column("callsMade", .integer).notNull()
                t.column("callsReused", .integer).notNull()
            }
        }
        migrator.registerMigration("v2: model calls") { db in
            try db.alter(table: "call") { t in
                t.add(column: "model", .text)
                t.add(column: "truncated", .boolean).notNull().defaults(to: false)
                t.add(column: "usageEstimated", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("v3: links, costs, run details") { db in
            try db.alter(table: "call") { t in
                t.add(column: "cost", .double).notNull().defaults(to: 0)
            }
            // Which stored calls each file's tree uses, so `gc` knows what no file needs.
            try db.create(table: "file_call") { t in
                t.column("path", .text).notNull()
                t.column("key", .text).notNull()
                t.primaryKey(["path", "key"])
            }
            try db.create(index: "file_call_key", on: "file_call", columns: ["key"])
            try db.alter(table: "run") { t in
                t.add(column: "pid", .integer)
                t.add(column: "inputs", .text)
                t.add(column: "outcome", .text)
                t.add(column: "filesPending", .integer).notNull().defaults(to: 0)
                t.add(column: "promptTokens", .integer).notNull().defaults(to: 0)
                t.add(column: "completionTokens", .integer).notNull().defaults(to: 0)
                t.add(column: "cost", .double).notNull().defaults(to: 0)
                t.add(column: "currency", .text)
                t.add(column: "walk", .text)
            }
        }
        migrator.registerMigration("v4: server facts") { db in
            // What a run learned from the server, so an offline estimate plans as the next run will.
            try db.create(table: "server_model") { t in
                t.column("server", .text).notNull()
                t.column("model", .text).notNull()
                t.column("contextWindow", .integer)
                t.column("tokenRatio", .double)
                t.column("ratioSource", .text)
                t.column("measuredAt", .datetime).notNull()
                t.primaryKey(["server", "model"])
            }
        }
        migrator.registerMigration("v5: reasoning and cached tokens") { db in
            try db.alter(table: "call") { t in
                t.add(column: "reasoningTokens", .integer).notNull().defaults(to: 0)
                t.add(column: "cachedTokens", .integer).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("v6: CJK token rate") { db in
            try db.alter(table: "server_model") { t in t.add(column: "cjkPerCharacter", .double) }
        }
        migrator.registerMigration("v7: remote batches and extracted text") { db in
            try db.alter(table: "call") { t in t.add(column: "batch", .boolean).notNull().defaults(to: false) }
            try db.create(table: "batch_job") { t in
                t.primaryKey("name", .text)
                t.column("model", .text).notNull()
                t.column("state", .text).notNull()
                t.column("lines", .integer).notNull()
                t.column("bytes", .integer).notNull()
                t.column("window", .text).notNull()
                t.column("fileID", .text)
                t.column("batchID", .text)
                t.column("remoteStatus", .text)
                t.column("completed", .integer).notNull().defaults(to: 0)
                t.column("failed", .integer).notNull().defaults(to: 0)
                t.column("outputFileID", .text)
                t.column("errorFileID", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("submittedAt", .datetime)
                t.column("polledAt", .datetime)
                t.column("endedAt", .datetime)
            }
            try db.create(table: "batch_line") { t in
                t.column("job", .text).notNull().references("batch_job", onDelete: .cascade)
                t.column("customID", .text).notNull()
                t.column("key", .text).notNull().indexed()
                t.column("document", .text).notNull()
                t.column("state", .text).notNull()
                t.column("answer", .blob)
                t.column("error", .text)
                t.primaryKey(["job", "customID"])
            }
            try db.create(table: "extracted_text") { t in
                t.primaryKey("contentHash", .text)
                t.column("text", .text).notNull()
                t.column("via", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        return migrator
    }

    /// The stored call with `key`, if a run has finished it.
    public func call(key: String) async throws(CheckpointError) -> StoredCall? {
        try await read { try StoredCall.fetchOne($0, key: key) }
    }

    /// Commits a finished call, linked to the file it serves; a call already stored under the key is kept as it is.
    public func save(_ call: StoredCall, for path: String? = nil) async throws(CheckpointError) {
        try await write { db in
            try call.insert(db, onConflict: .ignore)
            if let path { try FileCall(path: path, key: call.key).insert(db, onConflict: .ignore) }
        }
    }

    /// The state the last run left for the file with id `path`.
    public func fileState(path: String) async throws(CheckpointError) -> FileState? {
        try await read { try FileState.fetchOne($0, key: path) }
    }

    /// Records what a run did with a file.
    public func save(_ state: FileState) async throws(CheckpointError) {
        try await write { try state.save($0) }
    }

    /// Records a finished file and exactly the calls its tree uses, replacing the links it had.
    public func save(_ state: FileState, calls keys: Set<String>) async throws(CheckpointError) {
        try await write { db in
            try state.save(db)
            try FileCall.filter(Column("path") == state.path).deleteAll(db)
            for key in keys.sorted() { try FileCall(path: state.path, key: key).insert(db, onConflict: .ignore) }
        }
    }

    /// Every file's state, by path.
    public func fileStates() async throws(CheckpointError) -> [FileState] {
        try await read { try FileState.order(Column("path")).fetchAll($0) }
    }

    /// The number of stored calls.
    public func callCount() async throws(CheckpointError) -> Int {
        try await read { try StoredCall.fetchCount($0) }
    }

    /// The keys of every stored call.
    public func callKeys() async throws(CheckpointError) -> Set<String> {
        try await read { Set(try String.fetchAll($0, sql: "SELECT key FROM call")) }
    }

    /// Records the start of a run and returns it with its id.
    public func begin(_ run: RunRecord) async throws(CheckpointError) -> RunRecord {
        try await write { db in
            var run = run
            try run.insert(db)
            return run
        }
    }

    /// Records how a run ended.
    public func finish(_ run: RunRecord) async throws(CheckpointError) {
        try await write { try run.update($0) }
    }

    /// The most recent runs, newest first.
    public func runs(limit: Int = 10) async throws(CheckpointError) -> [RunRecord] {
        try await read { try RunRecord.order(Column("id").desc).limit(limit).fetchAll($0) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CheckpointError) -> T {
        do { return try await pool.read(body) } catch let error as DatabaseError
            where Self.damage.contains(error.resultCode)
        {
            throw Self.damaged(url, cause: error)
        } catch {
            throw CheckpointError(.read, "cannot read the checkpoint store at \(url.path)", cause: error)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CheckpointError) -> T {
        do { return try await pool.write(body) } catch let error as DatabaseError
            where Self.damage.contains(error.resultCode)
        {
            throw Self.damaged(url, cause: error)
        } catch {
            throw CheckpointError(.write, "cannot write the checkpoint store at \(url.path)", cause: error)
        }
    }
}
