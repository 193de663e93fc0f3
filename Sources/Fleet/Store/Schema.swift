import PostgresNIO

/// The shared database's schema, in the `precis` schema, as numbered migrations.
///
/// Each migration runs in its own transaction under an advisory lock, so workers starting together
/// apply it once. A database migrated by a newer precis is refused rather than half understood.
enum Schema {
    static let migrations: [(version: Int, name: String, statements: [String])] = [
        (
            1, "calls, files, runs, server facts",
            [
                """
                CREATE TABLE precis.call (
                  key text PRIMARY KEY, stage text NOT NULL, summarizer text NOT NULL, output text NOT NULL,
                  prompt_tokens bigint NOT NULL, completion_tokens bigint NOT NULL,
                  reasoning_tokens bigint NOT NULL DEFAULT 0, cached_tokens bigint NOT NULL DEFAULT 0,
                  model text, truncated boolean NOT NULL DEFAULT false, usage_estimated boolean NOT NULL DEFAULT false,
                  cost double precision NOT NULL DEFAULT 0, batch boolean NOT NULL DEFAULT false,
                  created_at timestamptz NOT NULL)
                """,
                """
                CREATE TABLE precis.file (
                  scope text NOT NULL, path text NOT NULL, content_hash text NOT NULL, size bigint NOT NULL,
                  modified timestamptz NOT NULL, pipeline_fingerprint text NOT NULL, status text NOT NULL,
                  error text, output_path text, title text, gist text, chunks int NOT NULL, levels int NOT NULL,
                  calls int NOT NULL, prompt_tokens bigint NOT NULL, completion_tokens bigint NOT NULL,
                  updated_at timestamptz NOT NULL, PRIMARY KEY (scope, path))
                """,
                "CREATE TABLE precis.file_call (scope text NOT NULL, path text NOT NULL, key text NOT NULL, PRIMARY KEY (scope, path, key))",
                "CREATE INDEX file_call_key ON precis.file_call (key)",
                """
                CREATE TABLE precis.run (
                  id bigserial PRIMARY KEY, scope text NOT NULL, worker text, started_at timestamptz NOT NULL,
                  ended_at timestamptz, exit_code int, outcome text, pipeline text NOT NULL, pid int, inputs text,
                  files_ok int NOT NULL DEFAULT 0, files_failed int NOT NULL DEFAULT 0, files_skipped int NOT NULL DEFAULT 0,
                  files_pending int NOT NULL DEFAULT 0, calls_made int NOT NULL DEFAULT 0, calls_reused int NOT NULL DEFAULT 0,
                  prompt_tokens bigint NOT NULL DEFAULT 0, completion_tokens bigint NOT NULL DEFAULT 0,
                  cost double precision NOT NULL DEFAULT 0, currency text, walk text)
                """,
                "CREATE INDEX run_scope ON precis.run (scope, id)",
                """
                CREATE TABLE precis.server_model (
                  server text NOT NULL, model text NOT NULL, context_window int, token_ratio double precision,
                  cjk_per_character double precision, ratio_source text, measured_at timestamptz NOT NULL,
                  PRIMARY KEY (server, model))
                """,
                "CREATE TABLE precis.extracted_text (content_hash text PRIMARY KEY, text text NOT NULL, via text NOT NULL, created_at timestamptz NOT NULL)"
            ]
        ),
        (
            2, "workers, the work queue, the account's limits",
            [
                """
                CREATE TABLE precis.worker (
                  id text PRIMARY KEY, scope text NOT NULL, host text NOT NULL, pid int NOT NULL,
                  started_at timestamptz NOT NULL DEFAULT clock_timestamp(), alive_until timestamptz NOT NULL,
                  ended_at timestamptz, files_done int NOT NULL DEFAULT 0, calls_made int NOT NULL DEFAULT 0)
                """,
                """
                CREATE TABLE precis.round (
                  id bigserial PRIMARY KEY, scope text NOT NULL, opened_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                  closed_at timestamptz, closed_by text)
                """,
                "CREATE UNIQUE INDEX round_open ON precis.round (scope) WHERE closed_at IS NULL",
                """
                CREATE TABLE precis.work (
                  round bigint NOT NULL REFERENCES precis.round (id) ON DELETE CASCADE, path text NOT NULL,
                  size bigint NOT NULL, state text NOT NULL DEFAULT 'queued', worker text, lease_until timestamptz,
                  attempts int NOT NULL DEFAULT 0, report text, gist text, PRIMARY KEY (round, path))
                """,
                "CREATE INDEX work_claim ON precis.work (round, state, size DESC, path)",
                """
                CREATE TABLE precis.account (
                  name text PRIMARY KEY, paused_until timestamptz NOT NULL DEFAULT '-infinity', pauses int NOT NULL DEFAULT 0)
                """,
                """
                CREATE TABLE precis.admission (
                  id bigserial PRIMARY KEY, account text NOT NULL, worker text NOT NULL, tokens bigint NOT NULL,
                  admitted_at timestamptz NOT NULL, finished_at timestamptz)
                """,
                "CREATE INDEX admission_open ON precis.admission (account) WHERE finished_at IS NULL",
                "CREATE INDEX admission_window ON precis.admission (account, finished_at)",
                SharedAccount.admitFunction
            ]
        ),
        (
            3, "calls in flight across workers",
            [
                "CREATE TABLE precis.call_claim (key text PRIMARY KEY, worker text NOT NULL, claimed_at timestamptz NOT NULL DEFAULT clock_timestamp())"
            ]
        )
    ]

    /// Brings the database up to date.
    static func migrate(_ database: Database) async throws(FleetError) {
        try await database.query("SELECT pg_advisory_lock(7270726563697301)")
        do {
            try await upgrade(database)
        } catch {
            await unlock(database)
            throw error
        }
        await unlock(database)
    }

    /// Gives the migration lock back; a connection that cannot is closed, which releases it too.
    private static func unlock(_ database: Database) async {
        do { try await database.query("SELECT pg_advisory_unlock(7270726563697301)") } catch { database.close() }
    }

    private static func upgrade(_ database: Database) async throws(FleetError) {
        try await database.query("CREATE SCHEMA IF NOT EXISTS precis")
        try await database.query(
            """
            CREATE TABLE IF NOT EXISTS precis.migration (
              version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """)
        let rows = try await database.query("SELECT coalesce(max(version), 0) FROM precis.migration")
        let current = try PostgresStore.first(rows, Int.self) ?? 0
        let known = migrations.last?.version ?? 0
        if current > known {
            throw FleetError(
                .schema,
                "the database at \(database.address) is at schema version \(current), newer than this precis knows (\(known)); upgrade precis"
            )
        }
        for migration in migrations where migration.version > current {
            try await database.transaction { (transaction) async throws(FleetError) in
                for statement in migration.statements {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement))
                }
                try await transaction.query(
                    "INSERT INTO precis.migration (version, name) VALUES (\(migration.version), \(migration.name))")
            }
        }
    }
}
