import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Kill it any time, rerun it any time, never pay twice: the built binary against the fake server.
@Suite(.serialized)
struct ResumeTests {

    /// A pipeline with small chunks, so the samples take dozens of calls and several levels, and
    /// answers room enough that no call is cut and retried (one request per call).
    func smallPipeline(in dir: URL) throws -> String {
        try MoonshotEndToEndTests().pipeline(
            [
                ("max_levels: 8", "max_levels: 8\nchunking:\n  chunk_tokens: 500"), ("map: 512", "map: 250"),
                ("reduce: 768", "reduce: 300")
            ],
            in: dir
        )
    }

    func environment(_ server: FakeMoonshotServer) -> [String: String] {
        ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
    }

    func storedCalls(_ out: URL) async throws -> Int {
        let url = out.appendingPathComponent(".precis/state.sqlite")
        guard FileManager.default.fileExists(atPath: url.path) else { return 0 }
        // Opening it is itself the check that a store killed mid-write opens cleanly.
        return try await CheckpointStore(url: url, create: false).callCount()
    }

    @Test func killedAtRandomPointsEveryResumeEndsIdenticalAndRepeatsOnlyCallsInFlight() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let pipeline = try smallPipeline(in: dir)
        let latency = FakeServerConfiguration(latency: .milliseconds(30))

        // The uninterrupted reference, on a server of its own.
        let reference = dir.appendingPathComponent("reference")
        let referenceServer = try await FakeMoonshotServer.start(latency)
        let run = try PrecisProcess(
            ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", reference.path, "-q"],
            environment: environment(referenceServer))
        #expect(try await run.exit() == 0, "\(run.stderr)")
        let expected = try TestSupport.markdownFiles(in: reference)
        let calls = referenceServer.stats.completed
        #expect(referenceServer.stats.repeatedCompletions == 0)
        #expect(try readTotals(reference).truncatedCalls == 0)
        #expect(try readTotals(reference).callsMade == calls)
        #expect(calls >= 30, "the samples should take dozens of calls, took \(calls)")
        await referenceServer.stop()

        let server = try await FakeMoonshotServer.start(latency)
        defer { Task { await server.stop() } }
        var random = SplitMix64(
            seed: UInt64(ProcessInfo.processInfo.environment["PRECIS_KILL_SEED"] ?? "") ?? 20_261_122)
        var kills = 0
        var trial = 0
        while kills < 12 && trial < 20 {
            trial += 1
            let out = dir.appendingPathComponent("trial-\(trial)")
            let before = server.stats.completions
            var lost = 0
            for segment in 0..<3 {
                // A random point of the run: after some of the calls still to make, plus a jitter that
                // lands kills between answers, during writes and during start-up.
                let stored = try await storedCalls(out)
                let answersBeforeKill = Int(random.next() % UInt64(max(1, calls - stored)))
                let jitter = Int(random.next() % 25)
                let completedBefore = server.stats.completed
                let process = try PrecisProcess(
                    ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "-q"],
                    environment: environment(server))
                _ = try await PrecisProcess.until {
                    server.stats.completed - completedBefore >= answersBeforeKill || !process.process.isRunning
                }
                try await Task.sleep(for: .milliseconds(jitter))
                process.signal(SIGKILL)
                let status = try await process.exit()
                // The run may have finished just before the kill: then it is a whole run, not a kill.
                guard status != 0 else { break }
                #expect(status == 128 + SIGKILL, "\(process.stderr)")
                kills += 1
                // The server may still be writing answers the dead client will never read: let it finish,
                // so they count for this kill.
                #expect(try await PrecisProcess.until { server.stats.active == 0 })
                // What the server finished but the store does not hold was in flight at the kill.
                let segmentLost = await (server.stats.completed - completedBefore) - (try storedCalls(out) - stored)
                #expect(
                    segmentLost >= 0 && segmentLost <= 4,
                    "trial \(trial) segment \(segment): \(segmentLost) calls lost at a kill after \(answersBeforeKill) answers"
                )
                lost += segmentLost
            }
            let resume = try PrecisProcess(
                ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "-q"],
                environment: environment(server))
            #expect(try await resume.exit() == 0, "\(resume.stderr)")
            #expect(
                try TestSupport.markdownFiles(in: out) == expected,
                "trial \(trial): outputs differ from the uninterrupted run")
            let repeated = server.stats.completions.reduce(0) { sum, entry in
                sum + max(0, entry.value - before[entry.key, default: 0] - 1)
            }
            #expect(
                repeated <= lost,
                "trial \(trial): \(repeated) calls paid twice, only \(lost) were in flight at the kills")
            #expect(try await storedCalls(out) == calls)
        }
        print("kill test: \(calls) calls, \(kills) kills in \(trial) trials")
        #expect(kills >= 12)
    }
}

/// A small seeded generator, so kill points repeat from run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
