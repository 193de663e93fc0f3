import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `--pipeline NAME` from any folder: a path, `./pipelines`, the user's folder, then the built-in copies.
@Suite(.serialized)
struct PipelineLookupTests {
    /// A home folder of its own and an empty working folder, so nothing of the repository's is found.
    func emptyPlaces() throws -> (home: URL, work: URL, environment: [String: String]) {
        let dir = try TestSupport.temporaryDirectory()
        let home = dir.appendingPathComponent("home")
        let work = dir.appendingPathComponent("work")
        for folder in [home, work] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        return (home, work, ["HOME": home.path, "XDG_CONFIG_HOME": ""])
    }

    func estimate(_ pipeline: String, in work: URL, environment: [String: String]) async throws -> RunEstimate {
        let result = try await PrecisProcess.run(
            ["estimate", TestSupport.samples.path, "--pipeline", pipeline, "--out", "out", "--json"],
            in: work, environment: environment)
        #expect(result.status == 0, "\(pipeline): \(result.stderr)")
        return try JSONOutput.decode(RunEstimate.self, from: Data(result.stdout.utf8))
    }

    @Test(arguments: [("moonshot", "moonshot-v1-8k"), ("llamacpp", "local"), ("book", "moonshot-v1-8k")])
    func aShippedPipelineResolvesFromAnEmptyWorkingFolder(name: String, model: String) async throws {
        let (_, work, environment) = try emptyPlaces()
        let plan = try await estimate(name, in: work, environment: environment)
        #expect(plan.pipeline == name)
        #expect(plan.model == model)
        #expect(plan.toSummarize == 4)
    }

    @Test func aUserPipelineOverridesTheBuiltInOneOfTheSameName() async throws {
        let (home, work, environment) = try emptyPlaces()
        try TestSupport.write(
            "extends: moonshot\nname: house-kimi\nmodel: moonshot-v1-32k\n",
            to: ".config/precis/pipelines/moonshot.yaml", in: home)
        let plan = try await estimate("moonshot", in: work, environment: environment)
        #expect(plan.pipeline == "house-kimi")
        #expect(plan.model == "moonshot-v1-32k")

        let listed = try await PrecisProcess.run(["pipelines"], in: work, environment: environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        let line = try #require(listed.stdout.split(separator: "\n").first { $0.hasPrefix("moonshot  ") })
        #expect(line.contains("[~/.config/precis/pipelines/moonshot.yaml, over the built-in one]"), "\(line)")
        #expect(listed.stdout.contains("default  (extractive, offline)"))
        #expect(
            listed.stdout.split(separator: "\n").filter { $0.hasSuffix("[built in]") }.count == BuiltInPipelinesCount
                .shipped - 1)

        // ./pipelines comes before the user's folder.
        try TestSupport.write("extends: moonshot\nname: project-kimi\n", to: "pipelines/moonshot.yaml", in: work)
        await #expect(try estimate("moonshot", in: work, environment: environment).pipeline == "project-kimi")
    }

    @Test func anUnknownNameListsTheNamesThatExist() async throws {
        let (_, work, environment) = try emptyPlaces()
        let result = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", "kimmi"], in: work, environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("kimmi: no such pipeline file"))
        #expect(result.stderr.contains("moonshot"))
    }
}

/// How many pipelines ship in `pipelines/`.
enum BuiltInPipelinesCount {
    static var shipped: Int {
        ((try? FileManager.default.contentsOfDirectory(
            atPath: TestSupport.root.appendingPathComponent("pipelines").path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.count
    }
}
