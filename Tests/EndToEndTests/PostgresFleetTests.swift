import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Three worker processes share one PostgreSQL, the fake Moonshot account's limits and a folder.
@Suite(.enabled(if: PostgresServer.available, "needs the PostgreSQL that make test-integration starts"))
struct PostgresFleetTests {
    /// Thirty short reports, each a few chunks of the small pipeline: about three calls apiece.
    func reports(in dir: URL, count: Int = 30) throws -> URL {
        let input = dir.appendingPathComponent("in")
        let text = try String(contentsOf: TestSupport.samples.appendingPathComponent("en/harrow-point.txt"), encoding: .utf8)
        let paragraphs = text.components(separatedBy: "\n\n").filter { $0.count > 80 }
        let tag = UUID().uuidString.prefix(8)
        for i in 0..<count {
            // A fresh line in each report: the shared store keeps calls across jobs, and this test pays for its own.
            var body = "Report \(i + 1) on Harrow Point, filed as \(tag)-\(i).\n\n"
            var k = i
            while body.count < 2_600 {
                body += "(\(tag)) " + paragraphs[k % paragraphs.count] + "\n\n"
                k += 1
            }
            _ = try TestSupport.write(body, to: String(format: "in/report-%02d.txt", i + 1), in: dir)
        }
        return input
    }

    /// The small pipeline under the fake account's limits, in a window scaled down to 10 s.
    func pipeline(in dir: URL) throws -> String {
        try MoonshotEndToEndTests().pipeline(
            [("max_levels: 8", "max_levels: 8\nchunking:\n  chunk_tokens: 500"), ("map: 512", "map: 250"), ("reduce: 768", "reduce: 300"),
             ("# limits: {concurrency: 50, rpm: 200, tpm: 2000000}", "limits: {concurrency: 4, rpm: 30, window_seconds: 10}")],
            in: dir
        )
    }

    /// What follows each page's front matter: the summary as a reader sees it.
    static func bodies(_ out: URL) throws -> [String: String] {
        try TestSupport.markdownFiles(in: out).filter { $0.key != "index.md" }.mapValues { data in
            let text = String(decoding: data, as: UTF8.self)
            guard text.hasPrefix("---\n"), let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 4)..<text.endIndex) else { return text }
            return String(text[end.upperBound...])
        }
    }

    /// The most requests the server began within any `window`.
    static func busiest(_ starts: [ContinuousClock.Instant], window: Duration) -> Int {
        let sorted = starts.sorted()
        var best = 0, low = 0
        for high in sorted.indices {
            while sorted[high] - sorted[low] >= window { low += 1 }
            best = max(best, high - low + 1)
        }
        return best
    }

    @Test func threeWorkersKeepToTheAccountsLimitsAndFinishAKilledWorkersFiles() async throws {
        let limits = FakeServerConfiguration(latency: .milliseconds(250), concurrency: 4, rpm: 30, window: .seconds(10))
        let server = try await FakeMoonshotServer.start(limits)
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = try reports(in: dir)
        let file = try pipeline(in: dir)
        let out = dir.appendingPathComponent("out")
        let store = try #require(PostgresServer.url)
        let job = PostgresServer.job()
        let arguments = ["run", input.path, "--pipeline", file, "--out", out.path, "--store", store, "--job", job, "--lease", "4"]
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
        print("fleet: 3 workers, 30 reports, \(stats.completed) calls in \(String(format: "%.1f s", Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18)) under RPM 30 and concurrency 4 (10 s window): "
              + "\(stats.tooManyRequests) × 429, busiest window \(Self.busiest(stats.timeline.map(\.start), window: .seconds(10)))/30, "
              + "peak concurrency \(stats.peakConcurrency), \(stats.repeatedCompletions) paid twice with \(inFlight) in flight at the kill")
        #expect(stats.tooManyRequests == 0, "the fleet went over the account's limits")
        #expect(stats.peakConcurrency <= 4)
        let busiest = Self.busiest(stats.timeline.map(\.start), window: .seconds(10))
        #expect(busiest >= 27, "the busiest window held \(busiest) requests of the 30 allowed")
        #expect(stats.repeatedCompletions <= inFlight, "\(stats.repeatedCompletions) calls were paid twice; \(inFlight) were in flight at the kill")

        // The last worker wrote the folder's report over every worker's files.
        let report = try readReport(out)
        #expect(report.files.count == 30)
        #expect(report.files.allSatisfy { $0.status == .ok }, "\(report.files.filter { $0.status != .ok })")
        let status = try PrecisProcess.run(["status", out.path, "--store", store, "--job", job, "--json"], environment: ["PGPASSWORD": ProcessInfo.processInfo.environment["PGPASSWORD"] ?? ""])
        #expect(status.status == 0, "\(status.stderr)")
        let fleet = try JSONOutput.decode(FleetStatus.self, from: Data(status.stdout.utf8))
        #expect(fleet.done == 30 && fleet.queued == 0 && fleet.claimed == 0 && !fleet.roundOpen)
        #expect(fleet.workers.count == 3)
        #expect(fleet.workers.contains { !$0.alive && !$0.ended }, "the killed worker shows as lost")

        // One machine with SQLite writes the same summaries.
        let alone = try await FakeMoonshotServer.start()
        defer { Task { await alone.stop() } }
        let single = dir.appendingPathComponent("single")
        let result = try PrecisProcess.run(["run", input.path, "--pipeline", file, "--out", single.path, "-q"], environment: ResumeTests().environment(alone))
        #expect(result.status == 0, "\(result.stderr)")
        let fleetPages = try Self.bodies(out), singlePages = try Self.bodies(single)
        #expect(fleetPages.count == 30)
        #expect(fleetPages == singlePages)
    }

    @Test func mergeWritesTheFolderPagesOfAJobFromTheSharedStore() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let store = try #require(PostgresServer.url)
        let job = PostgresServer.job()
        let run = try PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "--store", store, "--job", job, "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let first = try Data(contentsOf: out.appendingPathComponent("index.md"))
        try FileManager.default.removeItem(at: out.appendingPathComponent("index.md"))
        try FileManager.default.removeItem(at: out.appendingPathComponent("report.json"))
        let merge = try PrecisProcess.run(["merge", out.path, "--store", store, "--job", job, "--corpus-summary"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        let rows = String(decoding: first, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("| [") }
        #expect(rows.count == 4 && rows.allSatisfy { index.contains($0) }, "the merged index lists every file as the worker's did")
        #expect(index.contains("corpus-summary.md"))
        #expect(try readReport(out).files.count == 4)
    }
}

/// What a worker refuses before it touches the database.
struct FleetCommandLineTests {
    @Test func aPasswordInTheStoreURLOnTheCommandLineIsRefusedBeforeAnythingRuns() throws {
        let dir = try TestSupport.temporaryDirectory()
        let result = try PrecisProcess.run(["run", TestSupport.samples.path, "--out", dir.appendingPathComponent("out").path,
                                            "--store", "postgres://precis:secret@127.0.0.1:1/precis"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("PGPASSWORD"))
        #expect(!result.stderr.contains("secret"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/index.md").path))
    }
}
