import ChatAPI
import Checkpoint
import Chunking
import Foundation
import PrecisTesting
import Summarization
import Testing

@testable import Pipeline

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
        #expect {
            try PipelineLoader.parse("backend: openai-compatible\ntoken_ratio: lots\n", file: "p.yaml")
        } throws: {
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

    @Test func theProbeGivesTheHighestLatinRatioWithAMarginAndCountsCJKApart() async throws {
        let configuration = FakeServerConfiguration(apiKey: nil, tokenScale: 3)
        let server = try await FakeMoonshotServer.start(configuration)
        let client = try ChatClient(configuration: ChatClientConfiguration(baseURL: server.baseURL, apiKey: nil))
        let estimator = TokenEstimator()
        let measured = try await TokenRatioProbe.measure(client, model: "moonshot-v1-8k", estimator: estimator)
        await client.shutdown()
        await server.stop()
        let latin = TokenRatioProbe.samples.filter { !$0.unicodeScalars.contains(where: \.isCJK) }
        let highest = latin.map { text in
            Double(configuration.tokens(text) + 3) / Double(estimator.estimate(text) + LLMSummarizer.messageOverhead)
        }.max()!
        let ratio = try #require(measured?.ratio)
        #expect(ratio >= highest * TokenRatioProbe.margin)
        #expect(ratio <= highest * TokenRatioProbe.margin + 0.01)
        #expect(ratio > 1.5)
        #expect(measured?.counted == true)
        let chinese = TokenRatioProbe.samples[2]
        let characters = Double(chinese.unicodeScalars.filter(\.isCJK).count)
        let cjk = try #require(measured?.cjkPerCharacter)
        #expect(abs(cjk - Double(configuration.tokens(chinese) + 3) / characters * TokenRatioProbe.margin) < 0.01)
    }

    @Test func aMeasuredCJKRateCutsAChineseTextIntoFewerFullerChunks() throws {
        // Kimi packs about 1.7 Chinese characters into a token; the estimate charges cl100k's own cost.
        let text = try String(contentsOf: TestSupport.samples.appendingPathComponent("zh/运河边的书店.txt"), encoding: .utf8)
        let plain = TokenCalibration(ratio: 1)
        let kimi = TokenCalibration(ratio: 1, cjkPerCharacter: 0.66)
        let chunks = { (calibration: TokenCalibration) in
            Chunker(budget: 400, estimator: calibration.estimator).chunks(of: text).count
        }
        #expect(chunks(kimi) < chunks(plain), "\(chunks(kimi)) vs \(chunks(plain))")
        let characters = text.unicodeScalars.filter(\.isCJK).count
        #expect(
            abs(Double(kimi.estimator.estimate(text)) - Double(characters) * 0.66) < Double(characters) * 0.2,
            "CJK is charged the measured rate")
        // English is charged as before.
        let english = "The keeper climbed the tower and lit the lamp."
        #expect(kimi.estimator.estimate(english) == plain.estimator.estimate(english))
    }
}
