import Foundation
import Logging
import Pipeline
import PrecisTesting
import Scheduling
import Testing

/// The whole run against the fake server's account limits and faults.
@Suite(.serialized)
struct SchedulingIntegrationTests {
    func pipeline(_ extra: String = "") throws -> PipelineConfig {
        try PipelineLoader.parse(
            """
            name: test
            backend: openai-compatible
            model: moonshot-v1-8k
            chunking:
              chunk_tokens: 500
            max_tokens: {map: 200, reduce: 250, final: 300}
            retries: {max_attempts: 8, base_delay_ms: 20, max_delay_ms: 200}
            prices:
              moonshot-v1-8k: {input: 12, output: 12}
            \(extra)
            """, file: "test.yaml")
    }

    func run(
        _ config: PipelineConfig, server: FakeMoonshotServer, out: URL, inputs: [URL] = [TestSupport.samples],
        limits: LimitOverrides = LimitOverrides()
    ) async throws -> RunReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let options = RunOptions(
            inputs: inputs.map(\.path), outputDirectory: out, concurrency: 4,
            environment: ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL], limits: limits)
        return try await FolderRun(options: options, config: config, logger: logger).run()
    }

    @Test func getsNoRateLimitErrorsUnderScaledDownTierZeroLimits() async throws {
        // Tier 0 is 1 concurrent and 3 RPM; here the minute is a second, and the RPM is 8.
        let server = try await FakeMoonshotServer.start(
            FakeServerConfiguration(concurrency: 1, rpm: 8, tpm: 40_000, window: .seconds(1)))
        defer { Task { await server.stop() } }
        let config = try pipeline("limits: {concurrency: 1, rpm: 8, tpm: 40000, window_seconds: 1}")
        let report = try await run(
            config, server: server, out: try TestSupport.temporaryDirectory().appendingPathComponent("out"))
        #expect(report.totals.ok == 4)
        #expect(server.stats.tooManyRequests == 0)
        #expect(server.stats.completed == report.totals.callsMade)
        #expect(report.totals.retries == 0)
    }

    @Test func withoutTheLimitsTheSameServerAnswers429AndTheRetriesStillFinish() async throws {
        let server = try await FakeMoonshotServer.start(
            FakeServerConfiguration(concurrency: 1, rpm: 8, window: .seconds(1)))
        defer { Task { await server.stop() } }
        let report = try await run(
            try pipeline(), server: server, out: try TestSupport.temporaryDirectory().appendingPathComponent("out"))
        #expect(report.totals.ok == 4)
        #expect(server.stats.tooManyRequests > 0)
        #expect(report.totals.retries == server.stats.tooManyRequests)
    }

    @Test func summarizesEveryDocumentThroughTenPercentFaultsOfEveryKind() async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(faultRate: 0.10, seed: 7))
        defer { Task { await server.stop() } }
        let report = try await run(
            try pipeline(), server: server, out: try TestSupport.temporaryDirectory().appendingPathComponent("out"))
        let stats = server.stats
        #expect(report.totals.ok == 4)
        #expect(stats.injectedFaults > 0)
        #expect(report.totals.callsMade == stats.completed)
        let extra = stats.chatRequests - stats.completed
        #expect(extra == report.totals.retries)
        #expect(Double(extra) <= 0.15 * Double(stats.completed), "\(extra) extra requests for \(stats.completed) calls")
        #expect(stats.repeatedCompletions == 0)
    }

    @Test func anEmptyBalanceStopsAdmittingAndSaysWhy() async throws {
        // Answers take a moment, so the other calls are still in flight when the refusal (which comes
        // at once) arrives: "in flight" is then exactly the first 4 requests. With instant answers,
        // calls started between the refusal leaving the server and the client reading it also count.
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(latency: .milliseconds(100)))
        defer { Task { await server.stop() } }
        server.inject(.quotaExceeded)
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let config = try pipeline()
        let report = try await run(config, server: server, out: out)
        #expect(report.stopped?.contains("balance") == true)
        // Not failures: every file is left for the next run.
        #expect(report.totals.pending == 4)
        #expect(report.exitStatus == .stopped)
        // Only what was already in flight went out (concurrency 4), and it finished and was kept.
        #expect(server.stats.chatRequests <= 4)
        let finished = server.stats.completed
        // Resumable: the same run with the balance back finishes, reusing what was finished.
        let again = try await run(config, server: server, out: out)
        #expect(again.stopped == nil)
        #expect(again.totals.ok == 4)
        #expect(again.totals.callsReused == finished)
        #expect(server.stats.repeatedCompletions == 0)
    }

    @Test func aTokenBudgetStopsTheRunCleanlyAndAResumeFinishesIt() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let config = try pipeline()
        let capped = try await run(
            config, server: server, out: out, limits: LimitOverrides(spending: SpendingLimits(maxTokens: 3000)))
        #expect(capped.stopped?.contains("token budget") == true)
        #expect(capped.totals.promptTokens + capped.totals.completionTokens <= 3000)
        #expect(capped.totals.ok < 4)
        let resumed = try await run(config, server: server, out: out)
        #expect(resumed.totals.ok + resumed.totals.skipped == 4)
        #expect(resumed.totals.callsReused > 0)
        #expect(server.stats.repeatedCompletions == 0)
    }
}
