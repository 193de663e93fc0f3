import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `strategy: extract-abstract` as a user runs it: the estimate prices it beside map-reduce, the
/// run makes the calls the estimate planned, and it reads a fraction of what the tree reads.
@Suite(.serialized)
struct ExtractAbstractRunTests {
    /// Three texts of 40 to 60 kB: several chunks each in moonshot-v1-8k's window.
    func texts(in folder: URL) throws {
        let story = try TestSupport.storyText().components(separatedBy: "\n\n")
        for index in 0..<3 {
            var text = "# Report \(index)\n\n"
            var paragraph = index * 11
            while text.utf8.count < 40_000 + index * 10_000 {
                if paragraph % 9 == 0 { text += "## Part \(paragraph / 9)\n\n" }
                text += story[paragraph % story.count] + "\n\n"
                paragraph += 1
            }
            try TestSupport.write(text, to: "report-\(index).md", in: folder)
        }
    }

    func pipeline(in dir: URL, strategy: String) throws -> String {
        let file = dir.appendingPathComponent("\(strategy).yaml")
        try "extends: moonshot\nname: \(strategy)\nstrategy: \(strategy)\n".write(
            to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func theEstimatePricesBothAndTheExtractReadsAThirdOfTheTree() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try texts(in: input)
        let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
        let mapReduce = try pipeline(in: dir, strategy: "map-reduce")
        let extract = try pipeline(in: dir, strategy: "extract-abstract")

        let planned = try await PrecisProcess.run(
            ["estimate", input.path, "--pipeline", mapReduce, "--out", dir.appendingPathComponent("a").path, "--json"],
            environment: env)
        let estimate = try JSONOutput.decode(RunEstimate.self, from: Data(planned.stdout.utf8))
        let other = try #require(estimate.alternative)
        #expect(estimate.strategy == "map-reduce" && other.strategy == "extract-abstract")
        #expect(other.calls == 3, "one call a document")
        let text = try await PrecisProcess.run(
            ["estimate", input.path, "--pipeline", mapReduce, "--out", dir.appendingPathComponent("a").path],
            environment: env)
        #expect(text.stdout.contains("strategy    map-reduce; extract-abstract would make 3 call(s)"), "\(text.stdout)")

        let tree = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", mapReduce, "--out", dir.appendingPathComponent("a").path],
            environment: env)
        #expect(tree.status == 0, "\(tree.stderr)")
        let treeStats = server.stats
        #expect(treeStats.completed == estimate.calls && treeStats.completed > 6)

        let out = dir.appendingPathComponent("b")
        let run = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", extract, "--out", out.path], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let made = server.stats.completed - treeStats.completed
        let read = server.stats.promptTokens - treeStats.promptTokens
        #expect(made == other.calls)
        // Within 20%: the estimate counts the extract as conservatively as it counts chunks.
        #expect(
            abs(Double(other.promptTokens - read)) <= 0.2 * Double(read),
            "\(other.promptTokens) expected, \(read) sent, \(other)")
        #expect(
            read * 3 <= treeStats.promptTokens, "\(read) prompt tokens against the tree's \(treeStats.promptTokens)")
        for index in 0..<3 {
            let page = try String(contentsOf: out.appendingPathComponent("report-\(index).md.md"), encoding: .utf8)
            #expect(page.contains("extract-abstract"), "the page names its pipeline")
        }

        // A rerun pays for nothing.
        let again = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", extract, "--out", out.path], environment: env)
        #expect(again.status == 0)
        #expect(server.stats.completed == treeStats.completed + made)
    }
}
