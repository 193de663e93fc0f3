import Foundation
import Pipeline
import PrecisTesting
import Testing

/// A server that counts twice what precis estimates never fails a file: a call it refuses for
/// length is split and summarized in parts.
@Suite(.serialized)
struct CountsMoreTests {
    /// Twenty texts of 20 to 60 kB: prose, and symbol-dense reStructuredText of the kind that counts
    /// high (directives, literals, tables).
    func corpus(in folder: URL) throws {
        let story = try TestSupport.storyText().components(separatedBy: "\n\n")
        for index in 0..<20 {
            var text = ""
            var paragraph = index
            let target = 20_000 + index * 2_000
            while text.utf8.count < target {
                if index % 2 == 0 {
                    text += story[paragraph % story.count] + "\n\n"
                } else {
                    text +=
                        ".. note:: Option ``--max-tokens=\(paragraph)`` sets ``max_tokens`` (see :ref:`limits-\(paragraph)`).\n\n"
                    text +=
                        "+-------+----------+\n| key   | value    |\n+=======+==========+\n| rpm   | \(paragraph * 3)      |\n+-------+----------+\n\n"
                    text += "::\n\n    $ precis run ~/docs --tier \(paragraph % 6) --json | jq '.totals.calls_made'\n\n"
                }
                paragraph += 1
            }
            try TestSupport.write(
                text, to: String(format: "doc-%02d.%@", index, index % 2 == 0 ? "txt" : "rst.txt"), in: folder)
        }
    }

    @Test(arguments: ["moonshot", "kimi"])
    func everyTextFinishesAgainstAServerThatCountsTwice(pipeline: String) async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(tokenScale: 2))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try corpus(in: input)
        let out = dir.appendingPathComponent("out")
        let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
        let result = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", pipeline, "--out", out.path, "-q", "--concurrency", "8"], environment: env
        )
        #expect(result.status == 0, "\(pipeline): \(result.stderr)")
        let totals = try readTotals(out)
        let failed = try readReport(out).files.filter { $0.status != .ok }.map { "\($0.path): \($0.error ?? "")" }
        #expect(totals.ok == 20, "\(pipeline): \(failed)")
        #expect(totals.callsMade == server.stats.completed)
        // moonshot's chunks fill the window by precis's estimate, so the server refuses them and they are
        // split; kimi measures the server's counts first (token_ratio: auto) and cuts to fit.
        #expect(
            pipeline == "kimi" || server.stats.badRequests > 0,
            "the test should make the server refuse calls for length")
        #expect(server.stats.repeatedCompletions == 0)

        // The rerun finds every part in the store: same pages, no call.
        let pages = try TestSupport.markdownFiles(in: out)
        let again = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", pipeline, "--out", out.path, "-q", "--rehash"], environment: env)
        #expect(again.status == 0)
        #expect(try readTotals(out).callsMade == 0)
        #expect(try TestSupport.markdownFiles(in: out) == pages)
    }
}
