import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Every pipeline in `pipelines/` on the samples: it runs, and `precis estimate` predicted the run.
@Suite(.serialized)
struct ShippedPipelineTests {

    static var shipped: [String] {
        let names =
            (try? FileManager.default.contentsOfDirectory(
                atPath: TestSupport.root.appendingPathComponent("pipelines").path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    func decodeEstimate(_ text: String) throws -> RunEstimate {
        try JSONOutput.decode(RunEstimate.self, from: Data(text.utf8))
    }

    /// A copy of `out`'s store with what the run learned of its server and no file or call.
    static func learnedOnly(_ out: URL) async throws -> URL {
        let copy = try TestSupport.temporaryDirectory("learned").appendingPathComponent("out")
        let folder = copy.appendingPathComponent(".precis")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] {
            let source = out.appendingPathComponent(".precis/state.sqlite" + suffix)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent("state.sqlite" + suffix))
            }
        }
        let store = try await CheckpointStore(url: folder.appendingPathComponent("state.sqlite"))
        try await store.removeFiles(try await store.fileStates().map(\.path))
        _ = try await store.collectGarbage()
        return copy
    }

    @Test(arguments: shipped)
    func runsOnTheSamplesAsEstimated(pipeline: String) async throws {
        let file = TestSupport.root.appendingPathComponent("pipelines/\(pipeline)").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // Local-server pipelines (no key, any model name, short answers) meet a fake serving their model.
        let local = text.contains("OPENAI_BASE_URL")
        let usesModel = text.contains("MOONSHOT_API_KEY") || text.contains("backend: openai-compatible") || local
        // The fake's model has the window the pipeline says its server runs with (2048 from llamacpp).
        let window =
            text.split(separator: "\n").first { $0.hasPrefix("context_window: ") }.flatMap { Int($0.dropFirst(16)) }
            ?? 2048
        let server = try await FakeMoonshotServer.start(
            local
                ? FakeServerConfiguration(
                    apiKey: nil, models: FakeServerConfiguration.moonshotModels + [("local", window)], summaryCap: 60)
                : FakeServerConfiguration())
        defer { Task { await server.stop() } }
        let env =
            usesModel
            ? ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL, "OPENAI_BASE_URL": server.baseURL]
            : [:]
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let args = [TestSupport.samples.path, "--pipeline", file, "--out", out.path]

        // Without a key, without the server: the estimate reads and chunks, and calls nothing.
        let planned = try await PrecisProcess.run(["estimate", "--json"] + args, environment: env)
        #expect(planned.status == 0, "\(planned.stderr)")
        var estimate = try decodeEstimate(planned.stdout)
        #expect(server.stats.chatRequests == 0)
        #expect(!FileManager.default.fileExists(atPath: out.path))

        // A batch pipeline runs as cron runs it, until it stops saying "come back later" (5).
        var run = try await PrecisProcess.run(["run", "--json"] + args, environment: env)
        var totals = try JSONOutput.decode(RunReport.self, from: Data(run.stdout.utf8)).totals
        for _ in 0..<40 where run.status == 5 {
            try await Task.sleep(for: .milliseconds(300))
            run = try await PrecisProcess.run(["run", "--json"] + args, environment: env)
            let step = try JSONOutput.decode(RunReport.self, from: Data(run.stdout.utf8)).totals
            totals.callsMade += step.callsMade
            totals.promptTokens += step.promptTokens
            totals.completionTokens += step.completionTokens
            totals.reasoningTokens += step.reasoningTokens
            totals.ok += step.ok
        }
        #expect(run.status == 0, "\(pipeline): \(run.stderr)")
        if text.contains("token_ratio: auto") {
            // A measured ratio is known only once a run has asked the server; the estimate to hold
            // to the run is the one made with it, from a store that knows the server and holds no call.
            let learned = try await Self.learnedOnly(out)
            let replanned = try await PrecisProcess.run(
                ["estimate", "--json", TestSupport.samples.path, "--pipeline", file, "--out", learned.path],
                environment: env)
            estimate = try decodeEstimate(replanned.stdout)
            // With a key the estimate asks the server's counter itself, as the run does.
            #expect(
                estimate.tokenRatioSource?.contains("kept in the store") == true
                    || estimate.tokenRatioSource?.contains("asked now") == true,
                "\(replanned.stdout)")
        }
        #expect(totals.ok == 4)
        #expect(totals.callsMade == estimate.calls, "\(pipeline): calls made vs estimated")
        if usesModel {
            #expect(totals.callsMade == server.stats.completed)
            // Reasoning is not foreseen before a run (the estimate says so); the rest is held to 10%.
            let real = Double(totals.promptTokens + totals.completionTokens - totals.reasoningTokens)
            let expected = Double(estimate.promptTokens + estimate.completionTokens)
            // A local model's tokens cost nothing; only Moonshot's bill is held to 10%.
            #expect(
                local || abs(expected - real) / real <= 0.10,
                "\(pipeline): \(expected) tokens estimated, \(real) used; \(estimate) vs \(totals)")
            let most = Double(estimate.promptTokensMax + estimate.completionTokensMax)
            let used = Double(totals.promptTokens + totals.completionTokens)
            #expect(most >= used, "\(pipeline): the upper bound \(most) is below the \(used) tokens used")
        }

        // After the run the store holds every call: a rerun is estimated at nothing.
        let again = try decodeEstimate(
            try await PrecisProcess.run(["estimate", "--json"] + args, environment: env).stdout)
        #expect(again.calls == 0)
        #expect(again.unchanged == 4)
    }
}

/// `precis estimate` on deep trees and on a half-finished store.
@Suite(.serialized)
struct EstimateTests {

    @Test func aStoppedRunIsEstimatedAtWhatIsLeft() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try ResumeTests().smallPipeline(in: dir)
        let env = ResumeTests().environment(server)
        let args = [TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "--concurrency", "1"]
        let whole = try JSONOutput.decode(
            RunEstimate.self, from: Data(try await PrecisProcess.run(["estimate", "--json"] + args).stdout.utf8))
        #expect(whole.levels >= 3, "the small chunks make deep trees")

        // A spending cap stops the run part way; what it made is stored.
        let stopped = try await PrecisProcess.run(["run"] + args + ["--max-tokens-total", "6000"], environment: env)
        #expect(stopped.status == 4, "\(stopped.stderr)")
        let made = try readTotals(out).callsMade
        #expect(made > 0)
        let rest = try JSONOutput.decode(
            RunEstimate.self, from: Data(try await PrecisProcess.run(["estimate", "--json"] + args).stdout.utf8))
        #expect(rest.callsStored > 0)
        #expect(rest.calls < whole.calls)

        let resumed = try await PrecisProcess.run(["run"] + args, environment: env)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        // Deep trees depend on how long each answer runs, so the plan is close rather than exact here.
        let left = rest.calls
        let actual = try readTotals(out).callsMade
        #expect(abs(actual - left) <= max(2, left / 6), "\(left) calls estimated, \(actual) made")
        #expect(try readTotals(out).callsReused >= made, "nothing stored is paid again")
    }
}
