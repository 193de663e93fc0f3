import Foundation
import PostgresNIO

/// A job's workers, its round and the claims they hold, as `precis status --store` shows them.
public struct FleetStatus: Sendable, Codable {
    public struct Worker: Sendable, Codable {
        public var id: String
        public var host: String
        public var pid: Int
        public var startedAt: Date
        /// Whether its heartbeat is current; a worker that died shows as not alive once its lease ran out.
        public var alive: Bool
        public var ended: Bool
        /// Files it finished in earlier runs of the job, and files it holds now.
        public var filesDone: Int
        public var claims: [Claim]

        enum CodingKeys: String, CodingKey {
            case id, host, pid, alive, ended, claims
            case startedAt = "started_at"
            case filesDone = "files_done"
        }
    }

    public struct Claim: Sendable, Codable {
        public var path: String
        /// Seconds until the lease runs out, negative once it has.
        public var leaseLeft: Double
        public var attempts: Int

        enum CodingKeys: String, CodingKey {
            case path, attempts
            case leaseLeft = "lease_left"
        }
    }

    public var job: String
    public var store: String
    public var round: Int64?
    public var roundOpen: Bool
    public var queued = 0, claimed = 0, done = 0
    public var workers: [Worker] = []
    /// The account's pauses after a 429, and admissions in the last minute, across the fleet.
    public var admissionsLastMinute = 0
    public var pauses = 0

    enum CodingKeys: String, CodingKey {
        case job, store, round, queued, claimed, done, workers, pauses
        case roundOpen = "round_open"
        case admissionsLastMinute = "admissions_last_minute"
    }

    /// Reads the job's state from the shared store.
    public static func read(_ queue: WorkQueue) async throws(FleetError) -> FleetStatus {
        let database = queue.database
        let round = try await queue.latestRound()
        var status = FleetStatus(job: queue.scope, store: database.address.description, round: round, roundOpen: false)
        if let round {
            let rows = try await database.run(
                """
                SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'claimed'), count(*) FILTER (WHERE state = 'done'),
                  (SELECT closed_at IS NULL FROM precis.round WHERE id = \(round))
                FROM precis.work WHERE round = \(round)
                """)
            if let row = rows.first {
                (status.queued, status.claimed, status.done, status.roundOpen) = try PostgresStore.decode(
                    row, (Int, Int, Int, Bool).self)
            }
        }
        let claims = try await database.run(
            """
            SELECT worker, path, extract(epoch FROM lease_until - clock_timestamp())::float8, attempts FROM precis.work
            WHERE round = \(round ?? -1) AND state = 'claimed' ORDER BY path
            """)
        var held: [String: [Claim]] = [:]
        for row in claims {
            let (worker, path, left, attempts) = try PostgresStore.decode(row, (String, String, Double, Int).self)
            held[worker, default: []].append(Claim(path: path, leaseLeft: left, attempts: attempts))
        }
        for row in try await database.run(
            """
            SELECT id, host, pid, started_at, alive_until > clock_timestamp(), ended_at IS NOT NULL, files_done FROM precis.worker
            WHERE scope = \(queue.scope) ORDER BY started_at
            """)
        {
            let (id, host, pid, started, alive, ended, done) = try PostgresStore.decode(
                row, (String, String, Int, Date, Bool, Bool, Int).self)
            status.workers.append(
                Worker(
                    id: id, host: host, pid: pid, startedAt: started, alive: alive, ended: ended, filesDone: done,
                    claims: held[id] ?? []))
        }
        if let row = try await database.run(
            """
            SELECT (SELECT count(*) FROM precis.admission WHERE admitted_at > clock_timestamp() - interval '1 minute'),
              (SELECT coalesce(sum(pauses), 0)::bigint FROM precis.account)
            """
        ).first {
            (status.admissionsLastMinute, status.pauses) = try PostgresStore.decode(row, (Int, Int).self)
        }
        return status
    }

    /// The status as lines for a terminal.
    public var text: String {
        var lines = ["job \(job) on \(store)"]
        if let round {
            lines.append(
                "round \(round) \(roundOpen ? "open" : "closed"): \(done) done, \(claimed) claimed, \(queued) queued")
        } else {
            lines.append("no worker has run this job yet")
        }
        lines.append("account: \(admissionsLastMinute) admissions in the last minute, \(pauses) pause(s) after a 429")
        for worker in workers {
            let state = worker.ended ? "ended" : worker.alive ? "alive" : "lost (its lease ran out)"
            lines.append(
                "worker \(worker.id) (\(worker.host), pid \(worker.pid)): \(state), \(worker.filesDone) file(s) done")
            for claim in worker.claims {
                let lease =
                    claim.leaseLeft >= 0
                    ? String(format: "lease %.0f s left", claim.leaseLeft) : "lease ran out; another worker takes it"
                lines.append("  \(claim.path): \(lease)\(claim.attempts > 1 ? ", claim \(claim.attempts)" : "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The status as `precis status --json` prints it.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
