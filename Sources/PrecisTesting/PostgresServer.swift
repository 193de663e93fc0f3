import Foundation

/// The real PostgreSQL `make test-integration` starts (scripts/postgres.sh: `initdb` and `pg_ctl` as an
/// unprivileged user, on a loopback port, stopped by its PID); the suites that need it run only
/// when it has set these variables.
public enum PostgresServer {
    /// The database's URL, without its password, which is in `PGPASSWORD`.
    public static var url: String? { ProcessInfo.processInfo.environment["PRECIS_TEST_PG"] }

    public static var available: Bool { url != nil && ProcessInfo.processInfo.environment["PGPASSWORD"] != nil }

    /// A job name no other test uses, so suites share the database without meeting.
    public static func job(_ name: String = #function) -> String {
        "test-\(name.prefix(40))-\(UUID().uuidString.prefix(8))"
    }
}
