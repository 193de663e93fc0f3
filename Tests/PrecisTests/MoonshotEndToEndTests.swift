import Foundation
import PrecisTesting
import Testing

/// The built binary against the fake Moonshot server: what a paying user runs.
@Suite(.serialized)
struct MoonshotEndToEndTests {
    let e2e = EndToEndTests()

    func pipeline(_ changes: [(String, String)] = [], in dir: URL) throws -> String {
        var text = try String(contentsOf: TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml"), encoding: .utf8)
        for (from, to) in changes { text = text.replacingOccurrences(of: from, with: to) }
        return try TestSupport.write(text, to: "pipeline.yaml", in: dir).path
    }

    @Test(arguments: [false, true])
    func summarizesEverySampleWithTheServersOwnTokenTotals(stream: Bool) async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let file = try pipeline(stream ? [("stream: false", "stream: true")] : [], in: dir)
        let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
        let result = try e2e.precis(["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        let stats = server.stats
        #expect(stats.badRequests == 0)
        #expect(stats.streamed == (stream ? stats.completed : 0))
        let totals = try e2e.totals(out)
        #expect(totals["ok"] == 4)
        #expect(totals["prompt_tokens"] == stats.promptTokens)
        #expect(totals["completion_tokens"] == stats.completionTokens)
        #expect(totals["calls_made"] == stats.completed)
        let report = try e2e.report(out)
        let cost = try #require((report["totals"] as? [String: Any])?["cost"] as? Double)
        #expect(abs(cost - Double(stats.promptTokens + stats.completionTokens) * 12 / 1_000_000) < 1e-9)
        #expect(report["model"] as? String == "moonshot-v1-8k")
        let story = try String(contentsOf: out.appendingPathComponent("en/harrow-point.txt.md"), encoding: .utf8)
        #expect(story.contains("The Keepers of Harrow Point"))

        // Nothing is paid twice: the rerun sends no chat request at all.
        let before = server.stats.chatRequests
        #expect(try e2e.precis(["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path], environment: env).status == 0)
        #expect(server.stats.chatRequests == before)
        #expect(server.stats.repeatedCompletions == 0)
    }

    @Test func recursesWhenChunksAreSmallAndNeverOverflowsTheWindow() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let file = try pipeline([("max_levels: 8", "max_levels: 8\nchunking:\n  chunk_tokens: 500"), ("map: 512", "map: 120"), ("reduce: 768", "reduce: 150")], in: dir)
        let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
        let result = try e2e.precis(["run", TestSupport.samples.appendingPathComponent("en").path, "--pipeline", file, "--out", out.path], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        let files = try #require(try e2e.report(out)["files"] as? [[String: Any]])
        #expect((files.first?["levels"] as? Int ?? 0) >= 3)
        #expect(server.stats.badRequests == 0)
    }

    @Test func aMissingKeyStopsBeforeAnyFileIsRead() throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let result = try e2e.precis(["run", TestSupport.samples.path, "--pipeline", TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path, "--out", out.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("MOONSHOT_API_KEY is not set"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aRefusedKeyStopsTheRunAfterTheFirstFailure() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let file = try pipeline([("concurrency: 4", "concurrency: 1")], in: dir)
        let env = ["MOONSHOT_API_KEY": "sk-wrong", "MOONSHOT_BASE_URL": server.baseURL]
        let result = try e2e.precis(["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path, "-q"], environment: env)
        #expect(result.status == 4)
        #expect(result.stderr.contains("refused"))
        #expect(!result.stderr.contains("sk-wrong"))
        #expect(server.stats.chatRequests == 1)
        let report = try e2e.report(out)
        #expect((report["stopped"] as? String)?.contains("refused") == true)
        #expect(try e2e.totals(out)["pending"] == 4)
        #expect(try e2e.totals(out)["failed"] == 0)
    }

    @Test func aKeyIsNeverSentInTheClearOffThisMachine() throws {
        let dir = try TestSupport.temporaryDirectory()
        let result = try e2e.precis(["run", TestSupport.samples.path, "--pipeline", TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path,
                                     "--out", dir.appendingPathComponent("out").path, "--base-url", "http://example.com/v1"],
                                    environment: ["MOONSHOT_API_KEY": "sk-test"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("plain http://"))
    }

    @Test func listsTheServersModels() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let process = Process()
        process.executableURL = TestSupport.binary
        process.arguments = ["models", "--pipeline", TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path, "--base-url", server.baseURL]
        process.environment = ["MOONSHOT_API_KEY": "sk-test", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("moonshot-v1-32k  32768 tokens"))
    }
}
