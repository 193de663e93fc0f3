import Foundation
import PrecisTesting
import Testing

@testable import Pipeline

/// The pipelines compiled into the binary are the files in `pipelines/`, and each loads.
struct BuiltInPipelinesTests {
    @Test func theCompiledInCopiesAreThePipelinesFolderByteForByte() throws {
        let folder = TestSupport.root.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(
            Set(files.map { String($0.dropLast(5)) }) == Set(BuiltInPipelines.files.keys), "run `make pipelines-source`"
        )
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(
                BuiltInPipelines.files[String(file.dropLast(5))] == text,
                "\(file) differs from its built-in copy: run `make pipelines-source`")
        }
    }

    @Test func everyPipelineTheSearchFindsLoadsAndDefaultIsTheBuiltInDefault() throws {
        let empty = PipelineSearch(
            environment: ["HOME": try TestSupport.temporaryDirectory().path],
            workingDirectory: try TestSupport.temporaryDirectory().path)
        let found = empty.all()
        #expect(found.map(\.found.name) == BuiltInPipelines.files.keys.sorted())
        for (source, _) in found {
            #expect(source.origin == .builtIn, "\(source)")
            _ = try PipelineLoader.parse(source, search: empty)
        }
        #expect(try PipelineLoader.load("default", search: empty) == PipelineConfig.builtIn)
    }

    @Test func aUserCopyExtendingItsOwnNameExtendsTheNextOneDown() throws {
        let home = try TestSupport.temporaryDirectory()
        try TestSupport.write(
            "extends: moonshot\nname: mine\nmodel: moonshot-v1-32k\n", to: ".config/precis/pipelines/moonshot.yaml",
            in: home)
        let search = PipelineSearch(
            environment: ["HOME": home.path], workingDirectory: try TestSupport.temporaryDirectory().path)
        let config = try PipelineLoader.load("moonshot", search: search)
        #expect(config.name == "mine")
        #expect(config.llm.model == "moonshot-v1-32k")
        #expect(config.llm.apiKeyEnv == "MOONSHOT_API_KEY", "the rest comes from the built-in moonshot")
        // A built-in pipeline that extends moonshot finds the user's copy first.
        #expect(try PipelineLoader.load("book", search: search).llm.model == "moonshot-v1-32k")
    }

    @Test func xdgConfigHomeWinsOverHomeAndARelativeOneIsIgnored() {
        #expect(
            PipelineSearch(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x"], workingDirectory: "/w").folders.map(
                \.path) == ["/w/pipelines", "/x/precis/pipelines"])
        #expect(
            PipelineSearch(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "rel"], workingDirectory: "/w").folders.map(
                \.path) == ["/w/pipelines", "/h/.config/precis/pipelines"])
    }
}
