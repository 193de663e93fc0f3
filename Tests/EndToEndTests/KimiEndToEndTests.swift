import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// The built binary with the shipped Kimi pipelines (K2.6, K2.6 thinking, K3) against the fake
/// platform, which thinks, caches prefixes and refuses what each model fixes, as Moonshot does.
@Suite(.serialized)
struct KimiEndToEndTests {
    /// What the fake's thinking model writes as `reasoning_content`.
    static let reasoningMark = "main points of this text"

    func run(_ pipeline: String, server: FakeMoonshotServer, out: URL) async throws -> PrecisProcess.Result {
        try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path],
            environment: ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL])
    }

    /// Per million tokens as the shipped pipelines price them: input, cache hit, output.
    static let prices: [String: (input: Double, hit: Double, output: Double)] = [
        "kimi": (0.95, 0.16, 4.00), "kimi-think": (0.95, 0.16, 4.00), "kimi-k3": (3.00, 0.30, 15.00)
    ]

    @Test(arguments: ["kimi", "kimi-think", "kimi-k3"])
    func everySampleIsSummarizedWithoutReasoningAndTheReportIsTheServersLedger(pipeline: String) async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let result = try await run(pipeline, server: server, out: out)
        #expect(result.status == 0, "\(result.stderr)")
        let stats = server.stats
        #expect(stats.badRequests == 0, "no request was refused")
        #expect(stats.ignoredFields.isEmpty, "every field sent is one the model takes: \(stats.ignoredFields)")
        let totals = try readTotals(out)
        #expect(totals.ok == 4)
        #expect(totals.requests == stats.completed, "every request the server answered is counted")
        #expect(totals.promptTokens == stats.promptTokens)
        #expect(totals.completionTokens == stats.completionTokens)
        #expect(totals.reasoningTokens == stats.reasoningTokens)
        #expect(totals.cachedTokens == stats.cachedTokens)
        #expect(stats.cachedTokens > 0, "calls after the first share the system message")
        #expect((stats.reasoningTokens > 0) == (pipeline != "kimi"))
        let price = try #require(Self.prices[pipeline])
        let ledger =
            (Double(stats.promptTokens - stats.cachedTokens) * price.input + Double(stats.cachedTokens) * price.hit
                + Double(stats.completionTokens) * price.output) / 1_000_000
        #expect(abs(totals.cost - ledger) < 1e-5, "\(totals.cost) vs \(ledger)")
        #expect(abs(totals.cacheSaved - Double(stats.cachedTokens) * (price.input - price.hit) / 1_000_000) < 1e-5)
        #expect(result.stderr.contains("cached)"), "the summary line shows cached tokens: \(result.stderr)")

        // No reasoning in a page or in the store's answers; its tokens are on the page.
        for (path, file) in try readFiles(out) {
            let page = try String(contentsOf: out.appendingPathComponent(file.output ?? path + ".md"), encoding: .utf8)
            #expect(!page.contains(Self.reasoningMark), "\(path)")
            #expect(page.contains("reasoning_tokens: ") == (pipeline != "kimi"), "\(path)")
        }
        let store = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false)
        for key in try await store.callKeys() {
            #expect(!(try await store.call(key: key)?.output ?? "").contains(Self.reasoningMark))
        }
    }

    @Test func aThinkingCallThatRunsOutOfRoomIsAskedAgainWithMore() async throws {
        // The fake reasons for 3,000 tokens; the pipeline leaves room for 1,000, so each first call
        // ends with reasoning and no answer.
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(reasoningTokens: 3000))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let pipeline = try TestSupport.write("extends: kimi-think\nreasoning_tokens: 1000\n", to: "tight.yaml", in: dir)
        let out = dir.appendingPathComponent("out")
        let result = try await run(pipeline.path, server: server, out: out)
        #expect(result.status == 0, "\(result.stderr)")
        let totals = try readTotals(out)
        #expect(totals.ok == 4)
        #expect(server.stats.completed > totals.callsMade, "the empty answers were asked again")
        #expect(totals.completionTokens == server.stats.completionTokens, "and every request paid for is counted")
        for (path, file) in try readFiles(out) {
            let page = try String(contentsOf: out.appendingPathComponent(file.output ?? path + ".md"), encoding: .utf8)
            let body = page.components(separatedBy: "\n---\n").last ?? ""
            #expect(body.split(separator: "\n").count >= 2, "\(path) has a summary")
        }
    }

    @Test func theEstimatePricesACacheHitOnlyWhereAPromptStartRepeats() async throws {
        func plan(_ pipeline: String, _ inputs: [String]) async throws -> RunEstimate {
            let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
            let result = try await PrecisProcess.run(
                ["estimate"] + inputs + ["--pipeline", pipeline, "--out", out.path, "--json"])
            return try JSONOutput.decode(RunEstimate.self, from: Data(result.stdout.utf8))
        }
        let samples = TestSupport.samples.path
        // Two English and two Chinese documents, one call each: each language's system prompt repeats once.
        let kimi = try await plan("kimi", [samples])
        #expect(kimi.calls == 4)
        #expect(kimi.cachedTokens > 0)
        let english = try await plan("kimi", [TestSupport.samples.appendingPathComponent("en").path])
        #expect(english.calls == 1 && english.cachedTokens == 0, "a prompt start sent once is never a hit")
        #expect(kimi.cost < (try await plan("kimi", [samples])).costMax)
        #expect(try await plan("moonshot", [samples]).cachedTokens == 0, "moonshot-v1 does not cache on its own")
    }
}
