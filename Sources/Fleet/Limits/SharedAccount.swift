import Foundation
import PostgresNIO
import Scheduling

/// The account's limits held in PostgreSQL, so every worker on the account counts against one ledger.
///
/// Each admission is one call of `precis.admit`, which locks the account's row, counts what is in
/// flight and in the window, and either records the admission or says how long to wait. It charges
/// as the local limiter does (prompt + `max_tokens` at admission; a window entry leaves a window
/// after its request ended), so the fleet together keeps under the limits the server enforces.
/// Within one worker, one waiter at a time asks, in the order the local limiter admitted them.
public actor SharedAccount: AccountGate {
    /// The account's name in the database: a digest of the server and key, never the key.
    public nonisolated let name: String
    public nonisolated let worker: String
    private let database: Database
    private let clock: any SchedulingClock
    private var busy = false
    private var queue: [CheckedContinuation<Void, Never>] = []
    /// Admissions made and time spent in the database, for the benchmark.
    public private(set) var admissions = 0
    public private(set) var polls = 0

    public init(database: Database, name: String, worker: String, clock: any SchedulingClock = SystemClock()) {
        self.database = database
        self.name = name
        self.worker = worker
        self.clock = clock
    }

    public func admit(tokens: Int, limits: RateLimits) async throws -> Int64 {
        await takeTurn()
        defer { passTurn() }
        while true {
            try Task.checkCancellation()
            polls += 1
            let rows = try await database.run(
                """
                SELECT ticket, wait FROM precis.admit(\(name), \(worker), \(tokens), \(limits.concurrency), \(limits.rpm), \(limits.tpm),
                  \(limits.tpd), \(limits.window / .seconds(1)))
                """)
            guard let row = rows.first else { throw FleetError(.query, "the shared limiter answered nothing") }
            let (ticket, wait) = try PostgresStore.decode(row, (Int64?, Double).self)
            if let ticket {
                admissions += 1
                return ticket
            }
            if wait < 0 {
                throw SchedulingError(
                    .stopped,
                    "the account's daily token limit (TPD \(limits.tpd ?? 0)) is reached across the fleet; run again tomorrow to resume"
                )
            }
            try await clock.sleep(for: .milliseconds(Int(min(max(wait, 0.01), 5) * 1000)))
        }
    }

    public func finish(_ admission: Int64, chargedTokens: Int?) async {
        await database.bestEffort(
            "end an admission",
            """
            UPDATE precis.admission SET finished_at = clock_timestamp(), tokens = coalesce(\(chargedTokens), tokens) WHERE id = \(admission)
            """)
    }

    public func pause(for duration: Duration) async {
        let seconds = duration / .seconds(1)
        await database.bestEffort(
            "pause the account",
            """
            UPDATE precis.account SET paused_until = greatest(paused_until, clock_timestamp() + \(seconds) * interval '1 second'),
              pauses = pauses + 1 WHERE name = \(name)
            """)
    }

    private func takeTurn() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { queue.append($0) }
    }

    private func passTurn() {
        if queue.isEmpty { busy = false } else { queue.removeFirst().resume() }
    }

    /// The admissions the account has in its window or in flight, ended at the latest when their worker's lease ran out.
    static func live(_ now: String, _ window: String) -> String {
        """
        SELECT a.tokens, CASE WHEN a.finished_at IS NOT NULL THEN a.finished_at
                              WHEN w.alive_until > \(now) THEN NULL ELSE w.alive_until END AS ended
          FROM precis.admission a JOIN precis.worker w ON w.id = a.worker
         WHERE a.account = p_account AND (a.finished_at IS NULL OR a.finished_at > \(now) - \(window))
        """
    }

    static let admitFunction = """
        CREATE OR REPLACE FUNCTION precis.admit(p_account text, p_worker text, p_tokens bigint, p_concurrency bigint,
          p_rpm bigint, p_tpm bigint, p_tpd bigint, p_window float8)
        RETURNS TABLE (ticket bigint, wait float8) LANGUAGE plpgsql AS $$
        DECLARE
          v_now timestamptz := clock_timestamp();
          v_window interval := p_window * interval '1 second';
          v_paused timestamptz;
          v_inflight bigint;
          v_count bigint;
          v_tokens bigint;
          v_until timestamptz;
          v_id bigint;
        BEGIN
          INSERT INTO precis.account (name) VALUES (p_account) ON CONFLICT DO NOTHING;
          SELECT paused_until INTO v_paused FROM precis.account WHERE name = p_account FOR UPDATE;
          IF v_paused > v_now THEN
            RETURN QUERY SELECT NULL::bigint, extract(epoch FROM v_paused - v_now)::float8;
            RETURN;
          END IF;
          SELECT count(*) FILTER (WHERE ended IS NULL),
                 count(*) FILTER (WHERE ended IS NULL OR ended > v_now - v_window),
                 coalesce(sum(tokens) FILTER (WHERE ended IS NULL OR ended > v_now - v_window), 0)
            INTO v_inflight, v_count, v_tokens FROM (\(live("v_now", "v_window"))) live;
          IF v_inflight >= p_concurrency THEN
            RETURN QUERY SELECT NULL::bigint, 0.02::float8;
            RETURN;
          END IF;
          IF p_rpm IS NOT NULL AND v_count >= p_rpm THEN
            SELECT ended + v_window INTO v_until FROM (\(live("v_now", "v_window"))) live
             WHERE ended IS NOT NULL AND ended > v_now - v_window ORDER BY ended OFFSET (v_count - p_rpm) LIMIT 1;
            RETURN QUERY SELECT NULL::bigint, coalesce(greatest(extract(epoch FROM v_until - v_now), 0.005), 0.02)::float8;
            RETURN;
          END IF;
          IF p_tpm IS NOT NULL AND v_tokens + p_tokens > p_tpm THEN
            SELECT e + v_window INTO v_until FROM (
              SELECT ended AS e, sum(tokens) OVER (ORDER BY ended) AS s FROM (\(live("v_now", "v_window"))) live
               WHERE ended IS NOT NULL AND ended > v_now - v_window) x
             WHERE v_tokens - s + p_tokens <= p_tpm ORDER BY e LIMIT 1;
            RETURN QUERY SELECT NULL::bigint, coalesce(greatest(extract(epoch FROM v_until - v_now), 0.005), 0.02)::float8;
            RETURN;
          END IF;
          IF p_tpd IS NOT NULL AND (SELECT coalesce(sum(tokens), 0) FROM precis.admission
                                     WHERE account = p_account AND admitted_at > v_now - interval '1 day') + p_tokens > p_tpd THEN
            RETURN QUERY SELECT NULL::bigint, -1::float8;
            RETURN;
          END IF;
          INSERT INTO precis.admission (account, worker, tokens, admitted_at) VALUES (p_account, p_worker, p_tokens, v_now)
            RETURNING id INTO v_id;
          RETURN QUERY SELECT v_id, 0::float8;
        END $$
        """
}
