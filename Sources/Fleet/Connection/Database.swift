import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// One connection to the shared PostgreSQL, opened on first use and again after it drops.
///
/// Every statement suspends rather than blocks, so a store call never holds a thread of Swift's
/// cooperative pool. Statements from many tasks queue on the one connection through ``gate``; a
/// ``transaction(_:)`` holds it for its statements alone. The limiter and the queue use connections
/// of their own, so an admission never waits behind a store write.
public final class Database: Sendable {
    public let address: StoreAddress
    private let logger: Logger
    private let state = Mutex<PostgresConnection?>(nil)
    /// Held through a transaction's statements; single statements take it for their send only.
    private let gate = AsyncGate()

    public init(_ address: StoreAddress, logger: Logger = Logger(label: "precis.postgres")) {
        self.address = address
        var logger = logger
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit {
        if let connection = state.withLock({ $0 }) { Self.close(connection) }
    }

    /// Runs one statement and returns its rows, after any transaction in progress on this connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws(FleetError) -> [PostgresRow] {
        try await gate.holding { () async throws(FleetError) in try await send(query) }
    }

    /// Runs `body`'s statements in one transaction on this connection, committed when it returns.
    public func transaction<T: Sendable>(
        _ body: (Transaction) async throws(FleetError) -> T
    ) async throws(FleetError) -> T {
        try await gate.holding { () async throws(FleetError) in
            try await send("BEGIN")
            let value: T
            do throws(FleetError) {
                value = try await body(Transaction(database: self))
            } catch let failure {
                // The statement that failed already aborted the transaction; the rollback only ends it.
                do { try await send("ROLLBACK") } catch { close() }
                throw failure
            }
            try await send("COMMIT")
            return value
        }
    }

    /// Runs one statement without waiting for the gate, for the limiter and the queue, whose
    /// connections hold no transaction.
    @discardableResult
    public func run(_ query: PostgresQuery) async throws(FleetError) -> [PostgresRow] {
        try await send(query)
    }

    /// Runs a statement whose failure costs only time: a claim or an admission it would end runs
    /// out by its lease instead. The failure is logged, not thrown, so that a worker winding down
    /// is not stopped by a database that has gone away.
    public func bestEffort(_ what: String, _ query: PostgresQuery) async {
        do { try await send(query) } catch {
            Logger(label: "precis.fleet").warning(
                "cannot \(what) in the shared store; its lease runs out instead",
                metadata: ["error": "\(error)", "store": "\(address)"])
        }
    }

    /// Closes the connection; a later statement opens a new one.
    public func close() {
        if let connection = state.withLock({ value -> PostgresConnection? in
            defer { value = nil }
            return value
        }) {
            Self.close(connection)
        }
    }

    /// Closes without waiting; the connection is kept alive until it has closed, as postgres-nio requires.
    private static func close(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// The statements of one transaction.
    public struct Transaction {
        let database: Database

        @discardableResult
        public func query(_ query: PostgresQuery) async throws(FleetError) -> [PostgresRow] {
            try await database.send(query)
        }
    }

    @discardableResult
    fileprivate func send(_ query: PostgresQuery) async throws(FleetError) -> [PostgresRow] {
        let connection = try await connection()
        do {
            return Array(try await connection.query(query, logger: logger).get().rows)
        } catch {
            throw failure(error, query)
        }
    }

    private func failure(_ error: any Error, _ query: PostgresQuery) -> FleetError {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            return FleetError(.query, "PostgreSQL at \(address) refused \(query.sql.prefix(60))…: \(message)")
        }
        return FleetError(.query, "a statement to PostgreSQL at \(address) failed", cause: error)
    }

    private func connection() async throws(FleetError) -> PostgresConnection {
        if let open = state.withLock({ $0 }), !open.isClosed { return open }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: try configuration(), id: 1,
                logger: logger
            ).get()
        } catch let error as PSQLError {
            let detail = error.serverInfo?[.message] ?? String(describing: error.code)
            throw FleetError(.connect, "cannot connect to PostgreSQL at \(address): \(detail)")
        } catch {
            throw FleetError(.connect, "cannot connect to PostgreSQL at \(address)", cause: error)
        }
        return state.withLock { current in
            if let current, !current.isClosed {
                Self.close(connection)
                return current
            }
            current = connection
            return connection
        }
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch address.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user,
            password: address.password, database: address.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
