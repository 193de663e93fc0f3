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
}
