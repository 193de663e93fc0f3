import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// One run per output directory, and runs that wind down cleanly on SIGINT and SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct LockAndSignalTests {
    let resume = ResumeTests()

    func start(_ out: URL, pipeline: String, server: FakeMoonshotServer, _ extra: [String] = []) throws -> PrecisProcess
    {
        try PrecisProcess(
            ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path] + extra,
            environment: resume.environment(server))
    }

    /// A fake server answering after `latency`, and a fresh folder with the small pipeline and an output path.
    func setUp(latency: Duration, _ name: String = #function) async throws -> (
        FakeMoonshotServer, pipeline: String, out: URL
    ) {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(latency: latency))
        let dir = try TestSupport.temporaryDirectory(name)
        return (server, try resume.smallPipeline(in: dir), dir.appendingPathComponent("out"))
    }

    @Test func aRunStartedWhileAnotherHoldsTheFolderExits75NamingTheHolder() async throws {
        let (server, pipeline, out) = try await setUp(latency: .milliseconds(300))
        defer { Task { await server.stop() } }
        // The second starts once the first holds the folder and has called: two started at the same
        // instant may not overlap at all on a loaded machine (one can finish before the other starts).
        let winner = try start(out, pipeline: pipeline, server: server)
        #expect(try await PrecisProcess.until(.seconds(60)) { server.stats.chatRequests > 0 })
        let loser = try start(out, pipeline: pipeline, server: server)
        #expect(try await loser.exit() == 75, "\(loser.stderr)")
        #expect(try await winner.exit() == 0, "\(winner.stderr)")
        #expect(loser.stderr.contains("is in use by precis PID \(winner.pid)"), "\(loser.stderr)")
        #expect(loser.stderr.contains("--wait"))
        #expect(server.stats.repeatedCompletions == 0)
        #expect(try readTotals(out).ok == 4)
    }

    @Test func withWaitTheSecondRunWaitsThenMakesNoCall() async throws {
        let (server, pipeline, out) = try await setUp(latency: .milliseconds(300))
        defer { Task { await server.stop() } }
        // The second starts once the first holds the folder and has called: on a loaded machine two
        // started together may not overlap at all.
        let first = try start(out, pipeline: pipeline, server: server, ["--wait"])
        #expect(try await PrecisProcess.until(.seconds(60)) { server.stats.chatRequests > 0 })
        let runs = [first, try start(out, pipeline: pipeline, server: server, ["--wait"])]
        for run in runs { #expect(try await run.exit() == 0, "\(run.stderr)") }
        #expect(runs.contains { $0.stderr.contains("waiting for precis PID") })
        #expect(server.stats.repeatedCompletions == 0)
        // The report is the second run's: everything unchanged, nothing paid for.
        let totals = try readTotals(out)
        #expect(totals.skipped == 4)
        #expect(totals.callsMade == 0)
    }

    @Test func deletingTheLockFileDuringARunDoesNotLetASecondRunIn() async throws {
        let (server, pipeline, out) = try await setUp(latency: .milliseconds(80))
        defer { Task { await server.stop() } }
        let first = try start(out, pipeline: pipeline, server: server)
        let lock = out.appendingPathComponent(".precis/lock")
        #expect(
            try await PrecisProcess.until(.seconds(60)) { ((try? Data(contentsOf: lock)) ?? Data()).count > 0 },
            "the first run took the lock")
        try FileManager.default.removeItem(at: lock)
        let second = try start(out, pipeline: pipeline, server: server)
        #expect(try await second.exit() == 75, "\(second.stderr)")
        #expect(second.stderr.contains("is in use by"), "\(second.stderr)")
        #expect(try await first.exit() == 0, "\(first.stderr)")
        #expect(server.stats.repeatedCompletions == 0)
    }

    @Test func aLockLeftByADeadRunIsTakenOver() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        try TestSupport.write("pid=999999\nstarted=2026-01-01T00:00:00Z\n", to: ".precis/lock", in: out)
        let result = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("taking over"))
        #expect(result.stderr.contains("PID 999999"))
        // A clean exit leaves the lock file empty, so the next run has nothing to take over.
        #expect(try Data(contentsOf: out.appendingPathComponent(".precis/lock")).isEmpty)
        #expect(
            !(try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path]).stderr.contains(
                "taking over")))
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func aSignalFinishesTheCallsInFlightSavesThemAndExits(signal: Int32, code: Int32, name: String) async throws {
        let (server, pipeline, out) = try await setUp(latency: .milliseconds(400))
        defer { Task { await server.stop() } }
        let run = try start(out, pipeline: pipeline, server: server)
        #expect(try await PrecisProcess.until { server.stats.chatRequests >= 1 })
        run.signal(signal)
        #expect(try await run.exit() == code, "\(run.stderr)")
        #expect(run.stderr.contains("\(name): no new calls"))
        #expect(run.stderr.contains("interrupted by \(name)"))
        #expect(run.stderr.contains("run the same command again to resume"))
        // The calls in flight were let finish and kept: nothing the server answered is lost.
        let answered = server.stats.completed
        #expect(answered >= 1)
        #expect(try await resume.storedCalls(out) == answered)
        #expect(run.stderr.contains("\(answered) call(s) made and saved"), "\(run.stderr)")
        #expect(try readTotals(out).callsMade == answered)
        let report = try readReport(out)
        #expect(report.interrupted?.description == name)
        #expect((try readTotals(out).pending) >= 1)
        let status = try await PrecisProcess.run(["status", out.path])
        #expect(status.status == 0)

        let again = try start(out, pipeline: pipeline, server: server)
        #expect(try await again.exit() == 0, "\(again.stderr)")
        #expect(server.stats.repeatedCompletions == 0)
        #expect(try readTotals(out).callsReused >= answered)
    }

    @Test(arguments: [false, true])
    func aSecondSignalOrTheEndOfGraceAbandonsTheCallsInFlight(secondSignal: Bool) async throws {
        let (server, pipeline, out) = try await setUp(latency: .seconds(30))
        defer { Task { await server.stop() } }
        let run = try start(out, pipeline: pipeline, server: server, secondSignal ? [] : ["--grace", "0.3"])
        #expect(try await PrecisProcess.until { server.stats.chatRequests >= 1 })
        run.signal(SIGTERM)
        if secondSignal {
            try await Task.sleep(for: .milliseconds(200))
            run.signal(SIGTERM)
        }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try await run.exit() == 143, "\(run.stderr)")
        // Well before the 30-second answers could have arrived.
        #expect(clock.now - start < .seconds(20))
        #expect(run.stderr.contains("abandoned in flight"), "\(run.stderr)")
        #expect(try readReport(out).abandonedCalls >= 1)
        #expect(server.stats.completed == 0)
    }

    @Test func aSignalWhileWaitingForTheLockEndsTheWait() async throws {
        let (server, pipeline, out) = try await setUp(latency: .seconds(30))
        defer { Task { await server.stop() } }
        let holder = try start(out, pipeline: pipeline, server: server)
        #expect(try await PrecisProcess.until { server.stats.chatRequests >= 1 })
        let waiter = try start(out, pipeline: pipeline, server: server, ["--wait"])
        #expect(
            try await PrecisProcess.until { waiter.stderr.contains("waiting for precis PID \(holder.pid)") },
            "\(waiter.stderr)")
        waiter.signal(SIGINT)
        #expect(try await waiter.exit() == 130, "\(waiter.stderr)")
        #expect(waiter.stderr.contains("while waiting"))
        holder.signal(SIGKILL)
        _ = try await holder.exit()
    }
}
