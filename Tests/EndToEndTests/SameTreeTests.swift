import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Against a server whose tokenizer counts 1.9× precis's estimate, the tree a folder gets, and so
/// every call's key, depends on the inputs and the pipeline alone: not on the order answers arrive
/// in, the concurrency, or a kill.
@Suite(.serialized)
struct SameTreeTests {
    /// Twenty-one texts of 8 to 48 kB, prose and symbol-dense markup, so documents take from a
    /// handful to dozens of 600-token chunks. A `tag` in every paragraph makes the texts new to a
    /// shared store that keeps calls across jobs.
    func corpus(in folder: URL, tag: String = "") throws {
        let mark = tag.isEmpty ? "" : "(\(tag)) "
        let story = try TestSupport.storyText().components(separatedBy: "\n\n")
        for index in 0..<21 {
            var text = ""
            var paragraph = index * 7
            while text.utf8.count < 8_000 + index * 2_000 {
                if index % 3 == 2 {
                    text +=
                        mark
                        + ".. note:: Option ``--max-tokens=\(paragraph)`` sets ``max_tokens`` (see :ref:`limits-\(paragraph)`).\n\n"
                } else {
                    text += mark + story[paragraph % story.count] + "\n\n"
                }
                paragraph += 1
            }
            try TestSupport.write(text, to: String(format: "doc-%02d.txt", index), in: folder)
        }
    }

    /// How the pipeline meets the server's higher count.
    enum Fit: String, CaseIterable, Sendable {
        /// 600-token chunks, the ratio measured by the server's counter before the first chunk.
        case measured
        /// Chunks that fill moonshot-v1-8k's window by precis's estimate with the ratio held at 1,
        /// so the server refuses most calls for length and they are split.
        case refused
    }

    func pipeline(_ fit: Fit = .measured, in dir: URL) throws -> String {
        switch fit {
        case .measured:
            try MoonshotEndToEndTests().pipeline(
                [
                    ("max_levels: 8", "max_levels: 8\nchunking:\n  chunk_tokens: 600"), ("map: 512", "map: 200"),
                    ("reduce: 768", "reduce: 250")
                ], in: dir
            )
        case .refused:
            try MoonshotEndToEndTests().pipeline([("max_levels: 8", "max_levels: 8\ntoken_ratio: 1")], in: dir)
        }
    }

    func environment(_ server: FakeMoonshotServer) -> [String: String] {
        ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
    }

    func keys(_ out: URL) async throws -> Set<String> {
        try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false).callKeys()
    }

    /// The pages without the one line that says how long the run took.
    func pages(_ out: URL) throws -> [String: Data] {
        try TestSupport.markdownFiles(in: out).filter { $0.key != "index.md" }
    }

    @Test(arguments: Fit.allCases)
    func freshRunsAnotherConcurrencyAndAKilledRunAllCutTheSameTree(fit: Fit) async throws {
        let server = try await FakeMoonshotServer.start(
            FakeServerConfiguration(latency: .milliseconds(3), tokenScale: 1.9))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try corpus(in: input)
        let file = try pipeline(fit, in: dir)
        func run(_ name: String, concurrency: Int) async throws -> URL {
            let out = dir.appendingPathComponent(name)
            let result = try await PrecisProcess.run(
                ["run", input.path, "--pipeline", file, "--out", out.path, "-q", "--concurrency", "\(concurrency)"],
                environment: environment(server))
            #expect(result.status == 0, "\(name): \(result.stderr)")
            return out
        }
        let first = try await run("first", concurrency: 8)
        let calls = try readTotals(first).callsMade
        #expect(calls >= (fit == .measured ? 150 : 40), "the folder should take many calls, took \(calls)")
        #expect(fit == .measured || server.stats.badRequests > 0, "the server should refuse calls for length")
        let second = try await run("second", concurrency: 8)
        let slow = try await run("two-at-a-time", concurrency: 2)
        #expect(try await keys(second) == keys(first))
        #expect(try await keys(slow) == keys(first))
        #expect(try pages(second) == pages(first))
        #expect(try pages(slow) == pages(first))
        #expect(try readTotals(slow).callsMade == calls)

        // Killed part-way, then run again: the same tree, and only the calls not yet kept are paid.
        let killed = dir.appendingPathComponent("killed")
        let before = server.stats.completed
        let process = try PrecisProcess(
            ["run", input.path, "--pipeline", file, "--out", killed.path, "-q", "--concurrency", "8"],
            environment: environment(server))
        _ = try await PrecisProcess.until { server.stats.completed - before >= calls / 2 || !process.process.isRunning }
        process.signal(SIGKILL)
        _ = try await process.exit()
        #expect(try await PrecisProcess.until { server.stats.active == 0 })
        let kept = try await keys(killed).count
        let resumed = try await run("killed", concurrency: 8)
        #expect(try await keys(resumed) == keys(first))
        #expect(try pages(resumed) == pages(first))
        #expect(try readTotals(resumed).callsMade == calls - kept)
    }

    @Test func appendingASentenceRepaysOnlyTheLastChunksAndThePathAboveThem() async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(tokenScale: 1.9))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try corpus(in: input)
        let file = try pipeline(in: dir)
        let out = dir.appendingPathComponent("out")
        let arguments = ["run", input.path, "--pipeline", file, "--out", out.path, "-q", "--concurrency", "8"]
        #expect(try await PrecisProcess.run(arguments, environment: environment(server)).status == 0)
        let longest = try #require(try readReport(out).files.max { $0.callsMade < $1.callsMade })
        #expect(longest.callsMade >= 40, "\(longest.path) took \(longest.callsMade) calls")

        let handle = try FileHandle(forWritingTo: input.appendingPathComponent(longest.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("And the lamp, the inspectors wrote, had never once gone dark.\n".utf8))
        try handle.close()
        let again = try await PrecisProcess.run(arguments, environment: environment(server))
        #expect(again.status == 0, "\(again.stderr)")
        let report = try readFiles(out)[longest.path]
        // The last chunk (and at most the one before, when the cut moves), then one call per level above.
        let repaid = try #require(report).callsMade
        #expect(
            repaid <= longest.levels + 1,
            "appending a sentence repaid \(repaid) of \(longest.callsMade) calls over \(longest.levels) levels")
        #expect(try readTotals(out).callsMade == repaid, "no other file is touched")
    }
}
