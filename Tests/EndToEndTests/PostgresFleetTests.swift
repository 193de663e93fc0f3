import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Three worker processes share one PostgreSQL, the fake Moonshot account's limits and a folder.
@Suite(.enabled(if: PostgresServer.available, "needs the PostgreSQL that make test-integration starts"))
struct PostgresFleetTests {
    /// What follows each page's front matter: the summary as a reader sees it.
    static func bodies(_ out: URL) throws -> [String: String] {
        try TestSupport.markdownFiles(in: out).filter { $0.key != "index.md" }.mapValues { data in
            let text = String(decoding: data, as: UTF8.self)
            guard text.hasPrefix("---\n"),
                let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 4)..<text.endIndex)
            else { return text }
            return String(text[end.upperBound...])
        }
    }

    @Test func threeWorkersKeepToTheAccountsLimitsAndFinishAKilledWorkersFiles() async throws {
        let server = try await FakeMoonshotServer.start(FleetFixture.server())
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = try FleetFixture.reports(in: dir)
        let file = try FleetFixture.pipeline(in: dir)
        let out = dir.appendingPathComponent("out")
        let store = try #require(PostgresServer.url)
        let job = PostgresServer.job()
        let arguments = [
            "run", input.path, "--pipeline", file, "--out", out.path, "--store", store, "--job", job, "--lease", "4"
        ]
        let env = ResumeTests().environment(server)
        let workers = try (0..<3).map { _ in try PrecisProcess(arguments, environment: env) }

        // Kill the first worker once the fleet is well under way, noting what was in flight then.
        #expect(try await PrecisProcess.until(.seconds(120)) { server.stats.completed >= 20 })
        let inFlight = server.stats.active
        workers[0].signal(SIGKILL)
        #expect(try await workers[0].exit() == 128 + SIGKILL)
        for worker in workers.dropFirst() {
            let status = try await worker.exit()
            #expect(status == 0, "\(worker.stderr)")
        }

        let stats = server.stats
        let span = (stats.timeline.map(\.end).max()! - stats.timeline.map(\.start).min()!)
        print(
            "fleet: 3 workers, 30 reports, \(stats.completed) calls in \(String(format: "%.1f s", span / .seconds(1))) under RPM 30 and concurrency 4 (10 s window): "
                + "\(stats.tooManyRequests) × 429, busiest window \(FleetFixture.busiest(stats.timeline.map(\.start)))/30, "
                + "peak concurrency \(stats.peakConcurrency), \(stats.repeatedCompletions) paid twice with \(inFlight) in flight at the kill"
        )
        #expect(stats.tooManyRequests == 0, "the fleet went over the account's limits")
        #expect(stats.peakConcurrency <= 4)
        let busiest = FleetFixture.busiest(stats.timeline.map(\.start))
        #expect(busiest >= 27, "the busiest window held \(busiest) requests of the 30 allowed")
        #expect(
            stats.repeatedCompletions <= inFlight,
            "\(stats.repeatedCompletions) calls were paid twice; \(inFlight) were in flight at the kill")

        // The last worker wrote the folder's report over every worker's files.
        let report = try readReport(out)
        #expect(report.files.count == 30)
        #expect(report.files.allSatisfy { $0.status == .ok }, "\(report.files.filter { $0.status != .ok })")
        let status = try await PrecisProcess.run(
            ["status", out.path, "--store", store, "--job", job, "--json"],
            environment: ["PGPASSWORD": ProcessInfo.processInfo.environment["PGPASSWORD"] ?? ""])
        #expect(status.status == 0, "\(status.stderr)")
        let fleet = try JSONOutput.decode(FleetStatus.self, from: Data(status.stdout.utf8))
        #expect(fleet.done == 30 && fleet.queued == 0 && fleet.claimed == 0 && !fleet.roundOpen)
        #expect(fleet.workers.count == 3)
        #expect(fleet.workers.contains { !$0.alive && !$0.ended }, "the killed worker shows as lost")

        // One machine with SQLite writes the same summaries.
        let alone = try await FakeMoonshotServer.start()
        defer { Task { await alone.stop() } }
        let single = dir.appendingPathComponent("single")
        let result = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", file, "--out", single.path, "-q"],
            environment: ResumeTests().environment(alone))
        #expect(result.status == 0, "\(result.stderr)")
        let fleetPages = try Self.bodies(out)
        let singlePages = try Self.bodies(single)
        #expect(fleetPages.count == 30)
        #expect(fleetPages == singlePages)
    }

    /// Against a server that counts 1.9× the estimate and refuses calls for length, a fleet with a
    /// worker killed part-way writes the pages one machine writes, from the same calls.
    @Test func aFleetWithAWorkerKilledCutsTheTreeOneMachineCuts() async throws {
        let counts = FakeServerConfiguration(latency: .milliseconds(5), tokenScale: 1.9)
        let server = try await FakeMoonshotServer.start(counts)
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try SameTreeTests().corpus(in: input, tag: String(UUID().uuidString.prefix(8)))
        let file = try SameTreeTests().pipeline(.refused, in: dir)
        let out = dir.appendingPathComponent("out")
        let store = try #require(PostgresServer.url)
        let arguments = [
            "run", input.path, "--pipeline", file, "--out", out.path, "--store", store, "--job", PostgresServer.job(),
            "--lease", "4", "-q"
        ]
        let env = ResumeTests().environment(server)
        let workers = try (0..<3).map { _ in try PrecisProcess(arguments, environment: env) }
        #expect(try await PrecisProcess.until(.seconds(120)) { server.stats.completed >= 15 })
        workers[0].signal(SIGKILL)
        _ = try await workers[0].exit()
        for worker in workers.dropFirst() {
            let status = try await worker.exit()
            #expect(status == 0, "\(worker.stderr)")
        }
        #expect(server.stats.badRequests > 0, "the server should refuse calls for length")
        // Paid twice: at most what the killed worker had in flight, answered but not yet stored (its
        // pipeline's concurrency is 4); the server's own count of active calls misses those.
        #expect(server.stats.repeatedCompletions <= 4, "\(server.stats.repeatedCompletions) calls were paid twice")

        let alone = try await FakeMoonshotServer.start(counts)
        defer { Task { await alone.stop() } }
        let single = dir.appendingPathComponent("single")
        let result = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", file, "--out", single.path, "-q"],
            environment: ResumeTests().environment(alone))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            Set(server.stats.completions.keys) == Set(alone.stats.completions.keys),
            "the fleet and one machine made different calls")
        let fleetPages = try Self.bodies(out)
        #expect(fleetPages.count == 21)
        #expect(fleetPages == (try Self.bodies(single)))
    }

    @Test func copiesThatTwoWorkersClaimAtOnceMakeEachDistinctCallOnce() async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(latency: .milliseconds(300)))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let originals = try FleetFixture.reports(in: dir, count: 3)
        // Four copies of each report: equal sizes, so the largest-first queue hands copies to both workers side by side.
        let input = dir.appendingPathComponent("copies")
        for copy in 1...4 {
            try FileManager.default.copyItem(at: originals, to: input.appendingPathComponent("copy-\(copy)"))
        }
        let out = dir.appendingPathComponent("out")
        let store = try #require(PostgresServer.url)
        let arguments = [
            "run", input.path, "--pipeline", try ResumeTests().smallPipeline(in: dir), "--out", out.path,
            "--store", store, "--job", PostgresServer.job(), "-q"
        ]
        let workers = try (0..<2).map { _ in
            try PrecisProcess(arguments, environment: ResumeTests().environment(server))
        }
        for worker in workers {
            let status = try await worker.exit()
            #expect(status == 0, "\(worker.stderr)")
        }
        let report = try readReport(out)
        #expect(report.totals.ok == 12)
        #expect(server.stats.repeatedCompletions == 0, "a call was made by both workers")
        #expect(report.totals.callsReused > 0, "the copies reused the first copy's calls")
    }

    @Test func mergeWritesTheFolderPagesOfAJobFromTheSharedStore() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let store = try #require(PostgresServer.url)
        let job = PostgresServer.job()
        let run = try await PrecisProcess.run([
            "run", TestSupport.samples.path, "--out", out.path, "--store", store, "--job", job, "-q"
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let first = try Data(contentsOf: out.appendingPathComponent("index.md"))
        try FileManager.default.removeItem(at: out.appendingPathComponent("index.md"))
        try FileManager.default.removeItem(at: out.appendingPathComponent("report.json"))
        let merge = try await PrecisProcess.run(["merge", out.path, "--store", store, "--job", job, "--corpus-summary"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        let rows = String(decoding: first, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("| [") }
        #expect(
            rows.count == 4 && rows.allSatisfy { index.contains($0) },
            "the merged index lists every file as the worker's did")
        #expect(index.contains("corpus-summary.md"))
        #expect(try readReport(out).files.count == 4)
    }
}

/// What a worker refuses before it touches the database.
struct FleetCommandLineTests {
    @Test func aPasswordInTheStoreURLOnTheCommandLineIsRefusedBeforeAnythingRuns() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let result = try await PrecisProcess.run([
            "run", TestSupport.samples.path, "--out", dir.appendingPathComponent("out").path,
            "--store", "postgres://precis:secret@127.0.0.1:1/precis"
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("PGPASSWORD"))
        #expect(!result.stderr.contains("secret"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/index.md").path))
    }
}
