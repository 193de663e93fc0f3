import Foundation
import PrecisTesting
import Testing

@testable import Pipeline

struct PipelineLoaderTests {
    @Test func theShippedDefaultMatchesTheBuiltIn() throws {
        let shipped = try PipelineLoader.load(TestSupport.root.appendingPathComponent("pipelines/default.yaml").path)
        #expect(shipped == PipelineConfig.builtIn)
        #expect(try PipelineLoader.load(nil) == .builtIn)
    }

    @Test func readsNestedSettings() throws {
        let config = try PipelineLoader.parse(
            "name: big\nchunking:\n  chunk_tokens: 4000\nconcurrency: 3\n", file: "big.yaml")
        #expect(config.name == "big")
        #expect(config.chunking.chunkTokens == 4000)
        #expect(config.concurrency == 3)
        #expect(config.extractive == PipelineConfig.Extractive())
    }

    @Test func namesTheFileKeyAndLineOfAnUnknownKey() {
        #expect {
            try PipelineLoader.parse("name: x\nchunking:\n  chunk_tokenz: 10\n", file: "p.yaml")
        } throws: { error in
            let text = String(describing: error)
            return (error as? PipelineError)?.code == .config && text.contains("p.yaml") && text.contains("line 3")
                && text.contains("chunking.chunk_tokenz")
        }
    }

    @Test func namesTheKeyOfAWrongType() {
        #expect {
            try PipelineLoader.parse("chunking:\n  chunk_tokens: many\n", file: "p.yaml")
        } throws: { String(describing: $0).contains("chunking.chunk_tokens") }
    }

    @Test func refusesValuesThatCannotConverge() {
        #expect {
            try PipelineLoader.parse(
                "chunking:\n  chunk_tokens: 300\nextractive:\n  map_tokens: 100\n  reduce_tokens: 200\n", file: "p.yaml"
            )
        } throws: { String(describing: $0).contains("extractive.reduce_tokens") }
    }

    @Test func aWordOutsideItsChoicesIsNamedWithTheChoicesAndTheLine() {
        #expect { try PipelineLoader.parse("name: x\ncontext: prev\n", file: "p.yaml") } throws: {
            String(describing: $0) == "p.yaml: line 2: 'context': 'prev' is not one of none, headings, previous"
        }
        #expect { try PipelineLoader.parse("name: x\noutput:\n  section: true\n", file: "p.yaml") } throws: {
            String(describing: $0).contains("p.yaml, line 3: unknown key 'output.section'")
        }
        let book = try? PipelineLoader.parse("context: previous\noutput:\n  sections: true\n", file: "p.yaml")
        #expect(book?.context == .previous)
        #expect(book?.output.sections == true)
    }

    @Test func reportsAMissingFileAndBadYAML() {
        #expect { try PipelineLoader.load("/nonexistent/p.yaml") } throws: {
            String(describing: $0).contains("/nonexistent/p.yaml: no such pipeline file")
        }
        #expect { try PipelineLoader.parse("name: [unclosed\n", file: "bad.yaml") } throws: {
            String(describing: $0).contains("bad.yaml")
        }
    }

    func fingerprint(_ config: PipelineConfig) async throws -> String {
        let engine = try await Engine.make(
            RunSettings(
                options: RunOptions(inputs: [], outputDirectory: URL(fileURLWithPath: "/tmp"), concurrency: 2),
                config: config))
        return config.fingerprint(summarizer: engine.summarizer, budget: engine.budget)
    }

    @Test func fingerprintChangesWithSettingsThatShapeOutput() async throws {
        var config = PipelineConfig.builtIn
        let before = try await fingerprint(config)
        config.concurrency = 9
        #expect(try await fingerprint(config) == before)
        config.chunking.chunkTokens = 900
        #expect(try await fingerprint(config) != before)
        config = .builtIn
        config.extractive.finalTokens = 350
        #expect(try await fingerprint(config) != before)
    }

    @Test func readsTheShippedMoonshotPipelines() throws {
        let moonshot = try PipelineLoader.load(TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path)
        #expect(moonshot.backend == .openAICompatible)
        #expect(moonshot.llm.model == "moonshot-v1-8k")
        #expect(moonshot.llm.apiKeyEnv == "MOONSHOT_API_KEY")
        #expect(moonshot.prices["moonshot-v1-8k"] == PipelineConfig.Price(input: 12, output: 12))
        let auto = try PipelineLoader.load(TestSupport.root.appendingPathComponent("pipelines/moonshot-auto.yaml").path)
        #expect(auto.llm.model == "auto")
    }

    @Test func readsTheStrategyAndRefusesAnUnknownOne() async throws {
        let extract = try PipelineLoader.parse(
            "extends: moonshot\nstrategy: extract-abstract\nextract_tokens: 900\n", file: "p.yaml")
        #expect(extract.strategy == .extractAbstract && extract.extractTokens == 900)
        #expect(try PipelineLoader.parse("extends: moonshot\n", file: "p.yaml").strategy == .mapReduce)
        #expect { try PipelineLoader.parse("strategy: extract\n", file: "p.yaml") } throws: {
            String(describing: $0) == "p.yaml: line 1: 'strategy': 'extract' is not one of map-reduce, extract-abstract"
        }
        #expect {
            try PipelineLoader.parse("strategy: extract-abstract\nextract_tokens: 10\n", file: "p.yaml")
        } throws: {
            String(describing: $0).contains("extract_tokens must be at least 64")
        }
        // The strategy shapes the pages, so it is in the fingerprint; map-reduce's stays as it was.
        var config = PipelineConfig.builtIn
        let before = try await fingerprint(config)
        config.strategy = .extractAbstract
        let extractFingerprint = try await fingerprint(config)
        #expect(extractFingerprint != before)
        config.extractTokens = 3000
        #expect(try await fingerprint(config) != extractFingerprint)
    }

    @Test func theSmolLM2PipelineExtractsThenAbstractsGreedily() throws {
        let smol = try PipelineLoader.load(TestSupport.root.appendingPathComponent("pipelines/smollm2.yaml").path)
        #expect(smol.strategy == .extractAbstract)
        #expect(smol.llm.contextWindow == 8192 && smol.llm.temperature == 0 && !smol.llm.stream)
        #expect(smol.llm.prompts.final?.contains("{length}") == true)
    }

    @Test func refusesAPromptWithoutItsText() {
        #expect {
            try PipelineLoader.parse("backend: openai-compatible\nprompts:\n  map: \"Summarize.\"\n", file: "p.yaml")
        } throws: { String(describing: $0).contains("prompts.map must contain {text}") }
    }
}
