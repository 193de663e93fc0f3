import Foundation
import PostgresNIO

/// The shared list of a job's files, which workers claim one at a time under a lease.
///
/// Workers of one job meet in a *round*: the first to start opens it and every worker adds the
/// files it walked. A claim takes the largest file nobody holds (`FOR UPDATE SKIP LOCKED`, so
/// workers never wait on each other's claims) and holds it while a heartbeat renews the lease. A
/// worker that dies stops renewing, its lease runs out, and another worker takes the file; the calls
/// it finished are in the shared store, so they are not paid for again. The worker that finds the
/// round empty and closes it is the last, and writes the folder's index and report.
public final class WorkQueue: Sendable {
    /// A file claimed for this worker.
    public struct Claim: Sendable, Hashable {
        public var path: String
        /// How many times a worker has claimed it, this claim included.
        public var attempts: Int
    }

    /// What the queue has for a worker that asks.
    public enum Next: Sendable, Hashable {
        case file(Claim)
        /// Nothing to claim now, but other workers hold files whose leases may run out.
        case wait
        /// Every file of the round is done.
        case empty
    }

    /// A finished file, as the worker that did it reported it.
    public struct Finished: Sendable {
        public var path: String
        public var report: Data
        public var gist: String?
    }

    public let database: Database
    public let scope: String
    public let worker: String
    /// How long a claim lasts without a heartbeat.
    public let lease: Duration

    public init(database: Database, scope: String, worker: String, lease: Duration = .seconds(60)) {
        self.database = database
        self.scope = scope
        self.worker = worker
        self.lease = lease
    }

    var leaseSeconds: Double { lease / .seconds(1) }

    /// Says this worker is alive, so its admissions and claims count.
    public func register(host: String, pid: Int) async throws(FleetError) {
        // The account's ledger needs a day of admissions for TPD and a window for the rest; older ones go.
        try await database.run(
            "DELETE FROM precis.admission WHERE finished_at < clock_timestamp() - interval '25 hours'")
        try await database.run(
            """
            INSERT INTO precis.worker (id, scope, host, pid, alive_until)
            VALUES (\(worker), \(scope), \(host), \(pid), clock_timestamp() + \(leaseSeconds) * interval '1 second')
            ON CONFLICT (id) DO UPDATE SET alive_until = excluded.alive_until, ended_at = NULL
            """)
    }

    /// Renews this worker's lease and its claims' leases.
    public func heartbeat() async throws(FleetError) {
        try await database.run(
            """
            WITH me AS (UPDATE precis.worker SET alive_until = clock_timestamp() + \(leaseSeconds) * interval '1 second' WHERE id = \(worker))
            UPDATE precis.work SET lease_until = clock_timestamp() + \(leaseSeconds) * interval '1 second'
            WHERE worker = \(worker) AND state = 'claimed'
            """)
    }

    /// Says this worker has stopped: its admissions end now and its claims go back to the queue.
    public func leave(filesDone: Int, callsMade: Int) async {
        await database.bestEffort(
            "leave the job",
            """
            WITH back AS (UPDATE precis.work SET state = 'queued', worker = NULL, lease_until = NULL WHERE worker = \(worker) AND state = 'claimed')
            UPDATE precis.worker SET ended_at = clock_timestamp(), alive_until = clock_timestamp(),
              files_done = files_done + \(filesDone), calls_made = calls_made + \(callsMade) WHERE id = \(worker)
            """)
    }

    /// The round this worker joins: the job's open one, or a new one.
    public func join() async throws(FleetError) -> Int64 {
        while true {
            if let row = try await database.run(
                """
                WITH opened AS (INSERT INTO precis.round (scope) VALUES (\(scope)) ON CONFLICT (scope) WHERE closed_at IS NULL DO NOTHING RETURNING id)
                SELECT id FROM opened UNION ALL SELECT id FROM precis.round WHERE scope = \(scope) AND closed_at IS NULL
                """
            ).first {
                return try PostgresStore.decode(row, Int64.self)
            }
        }
    }

    /// Adds the files this worker walked; a file already in the round keeps its state.
    public func enqueue(round: Int64, files: [(path: String, size: Int)]) async throws(FleetError) {
        for start in stride(from: 0, to: files.count, by: 5_000) {
            let slice = files[start..<min(start + 5_000, files.count)]
            try await database.run(
                """
                INSERT INTO precis.work (round, path, size)
                SELECT \(round), unnest(\(slice.map(\.path))::text[]), unnest(\(slice.map { Int64($0.size) })::bigint[])
                ON CONFLICT DO NOTHING
                """)
        }
    }

    /// Claims the largest file nobody holds, or says why there is none.
    public func next(round: Int64) async throws(FleetError) -> Next {
        // MATERIALIZED: the pick runs once. As a plain subquery the planner may run it again for each
        // row it joins, and with SKIP LOCKED each run finds another file, so one claim took several.
        let rows = try await database.run(
            """
            WITH next AS MATERIALIZED (
              SELECT path FROM precis.work
              WHERE round = \(round) AND (state = 'queued' OR (state = 'claimed' AND lease_until < clock_timestamp()))
              ORDER BY size DESC, path LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE precis.work w SET state = 'claimed', worker = \(worker),
              lease_until = clock_timestamp() + \(leaseSeconds) * interval '1 second', attempts = w.attempts + 1
            FROM next WHERE w.round = \(round) AND w.path = next.path
            RETURNING w.path, w.attempts
            """)
        if let row = rows.first {
            let (path, attempts) = try PostgresStore.decode(row, (String, Int).self)
            return .file(Claim(path: path, attempts: attempts))
        }
        let open = try await database.run("SELECT count(*) FROM precis.work WHERE round = \(round) AND state <> 'done'")
        let unfinished = try PostgresStore.first(open, Int.self) ?? 0
        return unfinished > 0 ? .wait : .empty
    }

    /// Records a claimed file as done, with its report.
    public func done(round: Int64, path: String, report: Data, gist: String?) async throws(FleetError) {
        try await database.run(
            """
            UPDATE precis.work SET state = 'done', lease_until = NULL, report = \(String(decoding: report, as: UTF8.self)), gist = \(gist)
            WHERE round = \(round) AND path = \(path) AND worker = \(worker)
            """)
    }

    /// Puts a claimed file back for another worker to take at once; without a `path`, every file this
    /// worker holds in `round`: for a worker with no file open, those claims are strays, and waiting on
    /// them would wait on itself.
    public func release(round: Int64, path: String? = nil) async {
        await database.bestEffort(
            "give a claimed file back",
            """
            UPDATE precis.work SET state = 'queued', worker = NULL, lease_until = NULL
            WHERE round = \(round) AND (\(path)::text IS NULL OR path = \(path)) AND worker = \(worker) AND state = 'claimed'
            """)
    }

    /// Closes the round if every file is done; true for the one worker whose close took.
    public func close(round: Int64) async throws(FleetError) -> Bool {
        !(try await database.run(
            """
            UPDATE precis.round SET closed_at = clock_timestamp(), closed_by = \(worker)
            WHERE id = \(round) AND closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM precis.work WHERE round = \(round) AND state <> 'done')
            RETURNING id
            """)).isEmpty
    }

    /// The reports of a round's finished files, by path.
    public func finished(round: Int64) async throws(FleetError) -> [Finished] {
        try await database.run(
            "SELECT path, report, gist FROM precis.work WHERE round = \(round) AND state = 'done' ORDER BY path"
        ).map { row throws(FleetError) in
            let (path, report, gist) = try PostgresStore.decode(row, (String, String?, String?).self)
            return Finished(path: path, report: Data((report ?? "{}").utf8), gist: gist)
        }
    }

    /// The job's latest round, open or closed.
    public func latestRound() async throws(FleetError) -> Int64? {
        try PostgresStore.first(
            try await database.run("SELECT id FROM precis.round WHERE scope = \(scope) ORDER BY id DESC LIMIT 1"),
            Int64.self)
    }
}

extension WorkQueue {
    /// When a round opened.
    public func opened(round: Int64) async throws(FleetError) -> Date? {
        try PostgresStore.first(
            try await database.run("SELECT opened_at FROM precis.round WHERE id = \(round)"), Date.self)
    }
}
