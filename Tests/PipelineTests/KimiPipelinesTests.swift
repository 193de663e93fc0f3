import ChatAPI
import Foundation
import PrecisTesting
import Testing

@testable import Pipeline

/// The shipped Kimi pipelines as of December 2026, and the keys only some model families take.
struct KimiPipelinesTests {
    func parse(_ yaml: String) throws -> PipelineConfig {
        try PipelineLoader.parse("backend: openai-compatible\n" + yaml, file: "p.yaml")
    }

    @Test func theShippedKimiPipelinesUseServedModels() throws {
        let kimi = try PipelineLoader.load("kimi")
        #expect(kimi.llm.model == "kimi-k2.6" && kimi.llm.thinking == .off)
        #expect(kimi.prices["kimi-k2.6"] == PipelineConfig.Price(input: 0.95, cacheHit: 0.16, output: 4.00))
        let think = try PipelineLoader.load("kimi-think")
        #expect(think.llm.model == "kimi-k2.6" && think.llm.thinking == .on)
        let k3 = try PipelineLoader.load("kimi-k3")
        #expect(k3.llm.model == "kimi-k3" && k3.llm.reasoningEffort == .low)
        #expect(k3.chunking.chunkTokens == 96_000 && k3.llm.stream)
        #expect(k3.prices["kimi-k3"] == PipelineConfig.Price(input: 3.00, cacheHit: 0.30, output: 15.00))
        let batch = try PipelineLoader.load("kimi-batch")
        #expect(batch.llm.model == "kimi-k2.6" && batch.mode == .batch)
        for config in [kimi, think, k3, batch] {
            #expect(ModelFamily.refusal(of: config.llm.model) == nil, "\(config.name)")
        }
    }

    @Test func reasoningEffortIsRefusedAtLoadForModelsThatTakeNone() throws {
        #expect(try parse("model: kimi-k3\nreasoning_effort: high\n").llm.reasoningEffort == .high)
        for model in ["kimi-k2.6", "moonshot-v1-8k", "auto", "local-llama"] {
            #expect("\(model)") { try parse("model: \(model)\nreasoning_effort: low\n") } throws: { error in
                String(describing: error).contains("reasoning_effort") && String(describing: error).contains("p.yaml")
            }
        }
        #expect { try parse("model: kimi-k3\nreasoning_effort: medium\n") } throws: {
            String(describing: $0).contains("low, high, max")
        }
    }

    @Test func thinkingOffIsRefusedForModelsThatAlwaysReason() throws {
        for model in ["kimi-k3", "kimi-k3.1-pro", "kimi-k2.7-code"] {
            #expect("\(model)") { try parse("model: \(model)\nthinking: off\n") } throws: {
                String(describing: $0).contains("always reasons")
            }
        }
        #expect(try parse("model: kimi-k2.6\nthinking: off\n").llm.thinking == .off)
    }
}
