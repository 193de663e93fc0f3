import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `token_ratio: auto` in a whole run: the built binary against a fake server that counts like a
/// small llama vocabulary.
@Suite(.serialized)
struct TokenRatioRunTests {
    /// The shipped local pipeline against a fake server that counts like a small llama vocabulary.
    func smallVocabularyRun(_ ratio: String, out: URL, in dir: URL) async throws -> (
        PrecisProcess.Result, FakeServerStats, String
    ) {
        let server = try await FakeMoonshotServer.start(
            FakeServerConfiguration(
                apiKey: nil, models: [("local", 2048)], streamUsage: false, tokenScale: 2.6))
        let shipped = TestSupport.root.appendingPathComponent("pipelines/llamacpp.yaml").path
        let pipeline = try TestSupport.write(
            "extends: \(shipped)\ntoken_ratio: \(ratio)\n", to: "local-\(ratio).yaml", in: dir
        ).path
        let run = try PrecisProcess(
            ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path],
            environment: ["OPENAI_BASE_URL": server.baseURL])
        let status = try await run.exit()
        let stats = server.stats
        await server.stop()
        return (PrecisProcess.Result(status: status, stderr: run.stderr, stdout: run.stdout), stats, server.baseURL)
    }

    @Test func autoFitsEveryCallOfASmallVocabularyWhereTheBareEstimateOverflows() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let bare = try await smallVocabularyRun("1", out: dir.appendingPathComponent("bare"), in: dir)
        // The bare estimate overflows the 2048 window: the server refuses those calls, and they are
        // split and summarized in parts, so every file still finishes.
        #expect(bare.1.badRequests > 0, "the estimate alone should overflow the 2048 window")
        #expect(bare.0.status == 0, "\(bare.0.stderr)")

        let out = dir.appendingPathComponent("auto")
        let (result, stats, baseURL) = try await smallVocabularyRun("auto", out: out, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(stats.badRequests == 0, "no request may be refused for length")
        #expect(result.stderr.contains("token ratio"))
        #expect(try readFiles(out).values.allSatisfy { $0.status == .ok })

        // The estimate plans with the ratio the run measured, offline, and finds nothing to do.
        let pipeline = dir.appendingPathComponent("local-auto.yaml").path
        let estimate = try await PrecisProcess.run(
            ["estimate", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "--json"],
            environment: ["OPENAI_BASE_URL": baseURL])
        let plan = try JSONOutput.decode(RunEstimate.self, from: Data(estimate.stdout.utf8))
        #expect(plan.unchanged == 4, "\(estimate.stdout)")
        #expect(plan.tokenRatio ?? 0 > 1.5)
        #expect(plan.tokenRatioSource?.contains("kept in the store") == true)
    }
}
