import ChatAPI
import Checkpoint
import Chunking
import Foundation
@testable import Pipeline
import PrecisTesting
import Summarization
import Testing

/// `token_ratio`: budgets that fit a model whose tokenizer counts far more than the estimate.
@Suite(.serialized)
struct TokenRatioTests {
    let e2e = EndToEndTests()

    @Test func aPipelineTakesANumberOrAutoAndRefusesAnythingElse() throws {
        let fixed = try PipelineLoader.parse("backend: openai-compatible\ntoken_ratio: 2.5\n", file: "p.yaml")
        #expect(fixed.llm.tokenRatio == .fixed(2.5))
        let auto = try PipelineLoader.parse("backend: openai-compatible\ntoken_ratio: auto\n", file: "p.yaml")
        #expect(auto.llm.tokenRatio == .auto)
        #expect(try PipelineLoader.parse("backend: openai-compatible\n", file: "p.yaml").llm.tokenRatio == nil)
        #expect { try PipelineLoader.parse("backend: openai-compatible\ntoken_ratio: 0.5\n", file: "p.yaml") } throws: {
            String(describing: $0).contains("token_ratio must be a number from 1 to 10, or auto")
        }
        #expect { try PipelineLoader.parse("backend: openai-compatible\ntoken_ratio: lots\n", file: "p.yaml") } throws: {
            String(describing: $0).contains("token_ratio")
        }
    }

    @Test func aServerWithoutLlamaEndpointsIsCountedByMoonshotsCounter() async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(apiKey: nil))
        let client = try ChatClient(configuration: ChatClientConfiguration(baseURL: server.baseURL, apiKey: nil))
        let texts = ["The keeper climbed the tower.", "运河边的书店开张了。"]
        let counts = try await client.countTokens(texts, model: "moonshot-v1-8k")
        let unknownPaths = server.stats.statuses[404] ?? 0
        await client.shutdown()
        await server.stop()
        // /extras/tokenize/count and /tokenize are 404 there, so the chain goes on to Moonshot's,
        // and the second text goes straight to it.
        #expect(counts?.map(\.tokens) == texts.map { FakeTokenizer.count($0) + 3 })
        #expect(counts?.allSatisfy { $0.endpoint == "/tokenizers/estimate-token-count" && $0.includesFraming } == true)
        #expect(unknownPaths == 2)
    }

    @Test func theProbeGivesTheHighestRatioOfItsTextsWithAMargin() async throws {
        let configuration = FakeServerConfiguration(apiKey: nil, tokenScale: 3)
        let server = try await FakeMoonshotServer.start(configuration)
        let client = try ChatClient(configuration: ChatClientConfiguration(baseURL: server.baseURL, apiKey: nil))
        let estimator = TokenEstimator()
        let measured = try await TokenRatioProbe.measure(client, model: "moonshot-v1-8k", estimator: estimator)
        await client.shutdown()
        await server.stop()
        let highest = TokenRatioProbe.samples.map { text in
            Double(configuration.tokens(text) + 3) / Double(estimator.estimate(text) + LLMSummarizer.messageOverhead)
        }.max()!
        let ratio = try #require(measured?.ratio)
        #expect(ratio >= highest * TokenRatioProbe.margin)
        #expect(ratio <= highest * TokenRatioProbe.margin + 0.01)
        #expect(ratio > 1.5)
        #expect(measured?.counted == true)
    }

    /// The shipped local pipeline against a fake server that counts like a small llama vocabulary.
    func smallVocabularyRun(_ ratio: String, out: URL, in dir: URL) async throws -> (EndToEndTests.Result, FakeServerStats, String) {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(
            apiKey: nil, models: [("local", 2048)], streamUsage: false, tokenScale: 2.6))
        let pipeline = try LlamaServer.pipeline("token_ratio: \(ratio)", named: "local-\(ratio).yaml", in: dir)
        let run = try Spawned(["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path],
                              environment: ["OPENAI_BASE_URL": server.baseURL])
        let status = try await run.exit()
        let stats = server.stats
        await server.stop()
        return (EndToEndTests.Result(status: status, stderr: run.stderr, stdout: run.stdout), stats, server.baseURL)
    }

    @Test func autoFitsEveryCallOfASmallVocabularyWhereTheBareEstimateOverflows() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let bare = try await smallVocabularyRun("1", out: dir.appendingPathComponent("bare"), in: dir)
        #expect(bare.0.status == 1, "the estimate alone should overflow the 2048 window: \(bare.0.stderr)")
        #expect(bare.1.badRequests > 0)

        let out = dir.appendingPathComponent("auto")
        let (result, stats, baseURL) = try await smallVocabularyRun("auto", out: out, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(stats.badRequests == 0, "no request may be refused for length")
        #expect(result.stderr.contains("token ratio"))
        #expect(try e2e.files(out).values.allSatisfy { $0["status"] as? String == "ok" })

        // The estimate plans with the ratio the run measured, offline, and finds nothing to do.
        let pipeline = dir.appendingPathComponent("local-auto.yaml").path
        let estimate = try e2e.precis(["estimate", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "--json"],
                                      environment: ["OPENAI_BASE_URL": baseURL])
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(estimate.stdout.utf8)) as? [String: Any])
        #expect(plan["unchanged"] as? Int == 4, "\(estimate.stdout)")
        #expect((plan["token_ratio"] as? Double ?? 0) > 1.5)
        #expect((plan["token_ratio_source"] as? String ?? "").contains("the last run"))
    }

    @Test func aCallCutBeforeTheRatioRoseKeepsItsPromptAndAnswersInLessRoom() async throws {
        let transport = ScriptedTransport([])
        let summarizer = LLMSummarizer(options: .init(model: "local", contextWindow: 2048, maxTokens: [.map: 256]), transport: transport)
        let context = SummaryContext(title: "T")
        func prompt(_ text: String) -> Int {
            LLMSummarizer.promptTokens(summarizer.messages(for: [text], stage: .map, context: context), estimator: TokenEstimator())
        }
        var text = ""
        while prompt(text) + 256 <= 2048 { text += "The keeper climbed the tower. " }
        let prompt = prompt(text)
        #expect(prompt + 256 > 2048 && 2048 - prompt >= 128, "the text should leave the window a little short: \(prompt)")
        _ = try await summarizer.summarize([text], stage: .map, context: context)
        #expect(transport.requests.value.first?.maxTokens == 2048 - prompt)
    }
}
