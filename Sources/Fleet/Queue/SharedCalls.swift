import Checkpoint
import PostgresNIO

/// Which worker is making which call now, in PostgreSQL, so a fleet makes each call once.
///
/// A claim is a row by call key. A worker whose heartbeat stopped loses its claims to the next
/// worker that asks, as it loses its files.
public final class SharedCalls: CallClaims {
    let database: Database
    let worker: String

    public init(database: Database, worker: String) {
        self.database = database
        self.worker = worker
    }

    public func claim(_ key: String) async throws -> Bool {
        !(try await database.run(
            """
            INSERT INTO precis.call_claim (key, worker) VALUES (\(key), \(worker))
            ON CONFLICT (key) DO UPDATE SET worker = excluded.worker, claimed_at = clock_timestamp()
            WHERE call_claim.worker = excluded.worker OR NOT EXISTS (
              SELECT 1 FROM precis.worker w WHERE w.id = call_claim.worker AND w.alive_until > clock_timestamp())
            RETURNING key
            """)).isEmpty
    }

    public func release(_ key: String) async {
        await database.bestEffort(
            "give a call's claim back", "DELETE FROM precis.call_claim WHERE key = \(key) AND worker = \(worker)")
    }
}
