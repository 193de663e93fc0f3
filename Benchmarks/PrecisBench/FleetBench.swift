import Fleet
import Foundation
import PrecisTesting
import Scheduling

/// Many workers on one PostgreSQL: what an admission through the shared limiter costs, and the
/// makespan of 1, 2 and 3 worker processes under one account's limits, beside the bound.
enum FleetBench {
    static func report(scratch: URL, line: (String) -> Void) async throws {
        guard let url = PostgresServer.url, PostgresServer.available else {
            line(
                "fleet         skipped: no PostgreSQL; `make bench` starts one (scripts/with_postgres.sh) when Debian's postgresql is installed"
            )
            return
        }
        try await admissions(url: url, line: line)
        try await makespans(scratch: scratch, url: url, line: line)
    }

    /// Three workers' limiters, eight callers each, admitting and finishing as fast as the database lets them.
    static func admissions(url: String, line: (String) -> Void) async throws {
        let address = try StoreAddress(url)
        _ = try await PostgresStore(address, scope: "bench")
        let account = "bench-\(UUID().uuidString.prefix(8))"
        let limits = RateLimits(concurrency: 1_000, rpm: 10_000, window: .seconds(60))
        var gates: [SharedAccount] = []
        for w in 0..<3 {
            let worker = "\(account)-w\(w)"
            try await WorkQueue(database: Database(address), scope: "bench", worker: worker).register(
                host: "bench", pid: w)
            gates.append(SharedAccount(database: Database(address), name: account, worker: worker))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(5)
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for gate in gates {
                for _ in 0..<8 {
                    group.addTask {
                        var own: [Double] = []
                        while clock.now < deadline {
                            let begin = clock.now
                            let ticket = try await gate.admit(tokens: 1_000, limits: limits)
                            own.append(seconds(clock.now - begin) * 1000)
                            await gate.finish(ticket, chargedTokens: nil)
                        }
                        return own
                    }
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let elapsed = clock.now - start
        let perSecond = Double(latencies.count) / seconds(elapsed)
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        line(
            "fleet admit   3 workers × 8 callers through one account in PostgreSQL: \(String(format: "%.0f", perSecond)) admissions/s "
                + "(each admit + finish), admit p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms; "
                + "a 10,000-RPM account needs 167/s (target ≥ 167)")
    }

    /// The same thirty reports, fresh each time, through 1, 2 and 3 worker processes under one account's limits.
    static func makespans(scratch: URL, url: String, line: (String) -> Void) async throws {
        let latency: Duration = .milliseconds(250)
        let (rpm, concurrency, window) = (FleetFixture.rpm, FleetFixture.concurrency, FleetFixture.window)
        for workers in 1...3 {
            // Fresh reports each time: the shared store would otherwise answer every call from the last pass.
            let dir = scratch.appendingPathComponent("fleet-\(workers)")
            let input = try FleetFixture.reports(in: dir)
            let pipeline = try FleetFixture.pipeline(in: dir)
            let server = try await FakeMoonshotServer.start(FleetFixture.server(latency: latency))
            let clock = ContinuousClock()
            let start = clock.now
            let out = dir.appendingPathComponent("out")
            let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
            let job = "bench-\(workers)-\(UUID().uuidString.prefix(8))"
            let processes = try (0..<workers).map { _ in
                try PrecisProcess(
                    ["run", input.path, "--pipeline", pipeline, "--out", out.path, "--store", url, "--job", job, "-q"],
                    environment: env, binary: RerunBench.binary)
            }
            var statuses: [Int32] = []
            for process in processes { statuses.append(try await process.exit()) }
            let elapsed = seconds(clock.now - start)
            let stats = server.stats
            await server.stop()
            let calls = Double(stats.completed)
            // The account lets `rpm` calls through a window and `concurrency` at once: no fleet beats either.
            let bound = max(
                (calls / Double(rpm) - 1) * seconds(window) + seconds(latency),
                calls * seconds(latency) / Double(concurrency))
            line(
                "fleet \(workers)w      30 reports, \(stats.completed) calls, RPM \(rpm) per \(Int(seconds(window))) s window, concurrency \(concurrency), L=\(Int(seconds(latency) * 1000))ms: "
                    + "\(String(format: "%.1f", elapsed)) s vs bound \(String(format: "%.1f", bound)) s (ratio \(String(format: "%.2f", elapsed / bound))); "
                    + "429s \(stats.tooManyRequests), peak concurrency \(stats.peakConcurrency), paid twice \(stats.repeatedCompletions), exits \(statuses)"
            )
        }
    }
}
