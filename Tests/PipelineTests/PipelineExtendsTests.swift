import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `extends:` lets a pipeline file set only what differs from another.
struct PipelineExtendsTests {
    @Test func aChildOverridesScalarsAndMergesNestedKeys() throws {
        let dir = try TestSupport.temporaryDirectory()
        let moonshot = TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path
        let child = try TestSupport.write(
            "extends: \(moonshot)\nname: short-maps\nmax_tokens:\n  map: 300\n", to: "child.yaml", in: dir)
        let config = try PipelineLoader.load(child.path)
        let parent = try PipelineLoader.load(moonshot)
        #expect(config.name == "short-maps")
        #expect(config.llm.maxTokens.map == 300)
        #expect(config.llm.maxTokens.reduce == parent.llm.maxTokens.reduce)
        #expect(config.llm.model == parent.llm.model)
        #expect(config.prices == parent.prices)
    }

    @Test func aNameIsFoundBesideTheFileAndChainsAreFollowed() throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.write("name: base\nchunking:\n  chunk_tokens: 2000\nmax_levels: 5\n", to: "base.yaml", in: dir)
        try TestSupport.write("extends: base\nname: middle\nmax_levels: 6\n", to: "middle.yaml", in: dir)
        let top = try TestSupport.write("extends: middle.yaml\nname: top\n", to: "top.yaml", in: dir)
        let config = try PipelineLoader.load(top.path)
        #expect(config.name == "top")
        #expect(config.maxLevels == 6)
        #expect(config.chunking.chunkTokens == 2000)
    }

    @Test func cyclesMissingParentsAndBadKeysAreNamed() throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.write("extends: b\nname: a\n", to: "a.yaml", in: dir)
        try TestSupport.write("extends: a\nname: b\n", to: "b.yaml", in: dir)
        #expect { try PipelineLoader.load(dir.appendingPathComponent("a.yaml").path) } throws: {
            String(describing: $0).contains("cycle")
        }
        let orphan = try TestSupport.write("extends: nowhere\n", to: "orphan.yaml", in: dir)
        #expect { try PipelineLoader.load(orphan.path) } throws: {
            String(describing: $0).contains("extends 'nowhere'")
        }
        try TestSupport.write("name: broken\nchunking:\n  chunk_size: 10\n", to: "broken.yaml", in: dir)
        let child = try TestSupport.write("extends: broken\n", to: "child.yaml", in: dir)
        #expect { try PipelineLoader.load(child.path) } throws: { error in
            let text = String(describing: error)
            return text.contains("broken.yaml, line 3") && text.contains("chunking.chunk_size")
        }
    }
}
