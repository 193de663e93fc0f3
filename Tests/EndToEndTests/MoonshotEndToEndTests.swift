import Foundation
import Pipeline
import PrecisTesting
import Testing

/// The built binary against the fake Moonshot server: what a paying user runs.
@Suite(.serialized)
struct MoonshotEndToEndTests {

    func pipeline(_ changes: [(String, String)] = [], in dir: URL) throws -> String {
        var text = try String(
            contentsOf: TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml"), encoding: .utf8)
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
        let result = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        let stats = server.stats
        #expect(stats.badRequests == 0)
        #expect(stats.streamed == (stream ? stats.completed : 0))
        let totals = try readTotals(out)
        #expect(totals.ok == 4)
        #expect(totals.promptTokens == stats.promptTokens)
        #expect(totals.completionTokens == stats.completionTokens)
        #expect(totals.callsMade == stats.completed)
        let report = try readReport(out)
        let cost = report.totals.cost
        #expect(abs(cost - Double(stats.promptTokens + stats.completionTokens) * 12 / 1_000_000) < 1e-9)
        #expect(report.model == "moonshot-v1-8k")
        let story = try String(contentsOf: out.appendingPathComponent("en/harrow-point.txt.md"), encoding: .utf8)
        #expect(story.contains("The Keepers of Harrow Point"))

        // Nothing is paid twice: the rerun sends no chat request at all.
        let before = server.stats.chatRequests
        #expect(
            try await PrecisProcess.run(
                ["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path], environment: env
            ).status == 0)
        #expect(server.stats.chatRequests == before)
        #expect(server.stats.repeatedCompletions == 0)
    }

    @Test func recursesWhenChunksAreSmallAndNeverOverflowsTheWindow() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let file = try pipeline(
            [
                ("max_levels: 8", "max_levels: 8\nchunking:\n  chunk_tokens: 500"), ("map: 512", "map: 120"),
                ("reduce: 768", "reduce: 150")
            ], in: dir)
        let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
        let result = try await PrecisProcess.run(
            ["run", TestSupport.samples.appendingPathComponent("en").path, "--pipeline", file, "--out", out.path],
            environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try readReport(out).files.first?.levels ?? 0 >= 3)
        #expect(server.stats.badRequests == 0)
    }

    @Test func aMissingKeyStopsBeforeAnyFileIsRead() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let result = try await PrecisProcess.run([
            "run", TestSupport.samples.path, "--pipeline",
            TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path, "--out", out.path
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("MOONSHOT_API_KEY is not set"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aKeyRefusedWhileTheServerCountsTokensStopsBeforeAnyFileIsTouched() async throws {
        var config = FakeServerConfiguration(apiKey: "sk-right")
        config.echoesCredentials = true
        let server = try await FakeMoonshotServer.start(config)
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let key = "sk-wrong-0c9d27b45f1e"
        let env = ["MOONSHOT_API_KEY": key, "MOONSHOT_BASE_URL": server.baseURL]
        let result = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", try pipeline(in: dir), "--out", out.path, "-q"],
            environment: env)
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refused") && !result.stderr.contains(key), "\(result.stderr)")
        #expect(server.stats.chatRequests == 0)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aRefusedKeyStopsTheRunAfterTheFirstFailure() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        // A fixed ratio asks no counter, so the first call to meet the refusal is a summary's.
        let file = try pipeline(
            [("concurrency: 4", "concurrency: 1"), ("max_levels: 8", "max_levels: 8\ntoken_ratio: 1")], in: dir)
        let env = ["MOONSHOT_API_KEY": "sk-wrong", "MOONSHOT_BASE_URL": server.baseURL]
        let result = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path, "-q"], environment: env)
        #expect(result.status == 4)
        #expect(result.stderr.contains("refused"))
        #expect(!result.stderr.contains("sk-wrong"))
        #expect(server.stats.chatRequests == 1)
        let report = try readReport(out)
        #expect((report.stopped)?.contains("refused") == true)
        #expect(try readTotals(out).pending == 4)
        #expect(try readTotals(out).failed == 0)
    }

    @Test func aKeyIsNeverSentInTheClearOffThisMachine() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let result = try await PrecisProcess.run(
            [
                "run", TestSupport.samples.path, "--pipeline",
                TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path,
                "--out", dir.appendingPathComponent("out").path, "--base-url", "http://example.com/v1"
            ],
            environment: ["MOONSHOT_API_KEY": "sk-test"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("plain http://"))
    }

    @Test func aKeyTheServerEchoesIsKeptOutOfTheReportThePagesTheStoreAndTheLog() async throws {
        var config = FakeServerConfiguration(apiKey: "sk-right")
        config.echoesCredentials = true
        let server = try await FakeMoonshotServer.start(config)
        defer { Task { await server.stop() } }
        let key = "sk-wrong-5f1e0c9d27b4"
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        // A fixed ratio asks no counter, so the run gets as far as its summaries' calls.
        let file = try pipeline([("max_levels: 8", "max_levels: 8\ntoken_ratio: 1")], in: dir)
        let result = try await PrecisProcess.run(
            [
                "run", TestSupport.samples.path, "--pipeline", file,
                "--out", out.path, "--base-url", server.baseURL
            ], environment: ["MOONSHOT_API_KEY": key])
        #expect(result.status != 0)
        #expect(result.stderr.contains("refused") && result.stderr.contains("[redacted]"), "\(result.stderr)")
        #expect(!result.stderr.contains(key) && !result.stdout.contains(key))
        let files =
            FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        #expect(files.contains { $0.lastPathComponent == "report.json" })
        for file in files {
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            #expect(data.range(of: Data(key.utf8)) == nil, "the key is in \(file.path)")
        }
    }

    @Test func aHostThatOnlyLooksLocalIsRefusedAndAllowingPlainHTTPToAnotherHostWarns() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let lookalike = try await PrecisProcess.run(
            [
                "run", TestSupport.samples.path, "--pipeline",
                TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path,
                "--out", dir.appendingPathComponent("out").path, "--base-url", "http://127.attacker.example/v1"
            ],
            environment: ["MOONSHOT_API_KEY": "sk-test"])
        #expect(lookalike.status == 2 && lookalike.stderr.contains("plain http://"), "\(lookalike.stderr)")
        // 0.0.0.0 is not a loopback address, though Linux connects it to this machine: the fake
        // answers there without anything leaving it.
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let pipeline = dir.appendingPathComponent("insecure.yaml")
        try "extends: moonshot\nallow_insecure_http: true\n".write(to: pipeline, atomically: true, encoding: .utf8)
        let port = try #require(URL(string: server.baseURL)?.port)
        let allowed = try await PrecisProcess.run(
            [
                "run", TestSupport.samples.appendingPathComponent("en").path, "--pipeline", pipeline.path,
                "--out", dir.appendingPathComponent("out2").path, "--base-url", "http://0.0.0.0:\(port)/v1"
            ],
            environment: ["MOONSHOT_API_KEY": "sk-test"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(
            allowed.stderr.components(separatedBy: "goes over plain http:// to 0.0.0.0").count == 2,
            "warned once: \(allowed.stderr)")
    }

    @Test func listsTheServersModels() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let result = try await PrecisProcess.run(
            [
                "models", "--pipeline", TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path,
                "--base-url", server.baseURL
            ],
            environment: ["MOONSHOT_API_KEY": "sk-test"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("moonshot-v1-32k  32768 tokens"))
    }
}
