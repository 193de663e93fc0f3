import Foundation

/// Where the shared store is: a `postgres://user@host:port/database?sslmode=…` URL.
///
/// The password never travels in argv, where `ps` shows it to every user of the machine: it comes
/// from `PGPASSWORD` or a `.pgpass` file, as libpq's own tools read them.
public struct StoreAddress: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// Found in the environment or `.pgpass`; never printed.
    public var password: String?

    /// Reads `url`.
    /// - Parameters:
    ///   - fromCommandLine: whether the URL came from argv, where a password must not be.
    ///   - environment: where `PGPASSWORD`, `PGPASSFILE`, `PGUSER` and `HOME` are read.
    public init(
        _ url: String, fromCommandLine: Bool = true,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FleetError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else {
            throw FleetError(
                .address,
                "the store \(Self.redacted(url)) is not a postgres:// URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        if parts.password != nil && fromCommandLine {
            throw FleetError(
                .address,
                "the store URL holds a password, which every user of this machine can read in the process list; put it in PGPASSWORD or ~/.pgpass instead"
            )
        }
        host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = parts.port ?? 5432
        user = parts.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = path.isEmpty ? user : path
        let mode = parts.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        switch mode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw FleetError(.address, "the store's sslmode \(mode) is not one of disable, prefer, require")
        }
        password =
            parts.password ?? environment["PGPASSWORD"]
            ?? PGPass.password(host: host, port: port, database: database, user: user, environment: environment)
    }

    /// The URL without its password, for messages and status.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// `url` with any password cut out, for an error about a URL that did not parse.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }

    /// Whether `value` names a PostgreSQL store rather than a folder's SQLite file.
    public static func isPostgres(_ value: String) -> Bool {
        value.hasPrefix("postgres://") || value.hasPrefix("postgresql://")
    }
}
