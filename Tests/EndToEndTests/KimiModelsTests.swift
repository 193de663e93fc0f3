import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Models as the platform serves them now: a retired or unlisted id costs nothing and exits 2, a
/// cut answer is continued in partial mode, and the account's headers keep a shared key in bounds.
@Suite(.serialized)
struct KimiModelsTests {
    func run(_ arguments: [String], server: FakeMoonshotServer) async throws -> PrecisProcess.Result {
        try await PrecisProcess.run(
            arguments, environment: ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL])
    }

    func pipeline(_ yaml: String, in dir: URL) throws -> String {
        try TestSupport.write(yaml, to: "p.yaml", in: dir).path
    }

    @Test(arguments: ["kimi-k2.5", "kimi-k9-preview"])
    func aModelThePlatformDoesNotServeExitsTwoBeforeAnyCall(model: String) async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let file = try pipeline("extends: kimi\nmodel: \(model)\n", in: dir)
        for batch in [false, true] {
            let result = try await run(
                ["run", TestSupport.samples.path, "--pipeline", file, "--out", dir.appendingPathComponent("out").path]
                    + (batch ? ["--batch"] : []), server: server)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains(model) && result.stderr.contains("precis models"), "\(result.stderr)")
            if model == "kimi-k2.5" {
                #expect(result.stderr.contains("kimi-k2.6"), "the successor is named: \(result.stderr)")
            }
        }
        #expect(server.stats.chatRequests == 0 && server.stats.uploads == 0, "nothing was paid or uploaded")
    }

    @Test func aModelRefusedByItsFirstCallStopsTheRunWithExitTwo() async throws {
        var config = FakeServerConfiguration()
        config.refusedModels = ["kimi-k2.6-private"]
        let server = try await FakeMoonshotServer.start(config)
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let file = try pipeline("extends: kimi\nmodel: kimi-k2.6-private\nconcurrency: 1\n", in: dir)
        let out = dir.appendingPathComponent("out")
        let result = try await run(
            ["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path], server: server)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(server.stats.completed == 0)
        #expect(server.stats.chatRequests == 1, "the first refusal stops every other call")
        let report = try readReport(out)
        #expect(report.stop == .model && report.stopped?.contains("kimi-k2.6-private") == true)
    }

    @Test func kimiBatchRefusesK3BeforeUploadingAnything() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let file = try pipeline("extends: kimi-batch\nmodel: kimi-k3\nthinking: model-default\n", in: dir)
        let result = try await run(
            ["run", TestSupport.samples.path, "--pipeline", file, "--out", dir.appendingPathComponent("out").path],
            server: server)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("Batch API"), "\(result.stderr)")
        #expect(server.stats.uploads == 0 && server.stats.batchesCreated == 0 && server.stats.chatRequests == 0)
    }

    @Test func aCutAnswerIsFinishedInPartialModeAndReusedOnTheRerun() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let file = try pipeline("extends: kimi\nmax_tokens: {map: 60, reduce: 80, final: 100}\n", in: dir)
        let out = dir.appendingPathComponent("out")
        let first = try await run(
            ["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path], server: server)
        #expect(first.status == 0, "\(first.stderr)")
        let stats = server.stats
        #expect(stats.continuations > 0, "the cut answers were continued")
        #expect(stats.badRequests == 0 && stats.ignoredFields.isEmpty)
        let report = try readReport(out)
        #expect(report.totals.requests == stats.completed, "the report counts every request the server answered")
        #expect(
            report.totals.promptTokens == stats.promptTokens && report.totals.completionTokens == stats.completionTokens
        )
        #expect(report.totals.requests > report.totals.callsMade)
        for file in report.files {
            let page = try String(contentsOf: out.appendingPathComponent(try #require(file.output)), encoding: .utf8)
            let body = page.components(separatedBy: "\n---\n").last ?? ""
            let sentences = body.split(whereSeparator: { ".。!?！？".contains($0) }).map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            .filter { $0.count > 12 }
            #expect(Set(sentences).count == sentences.count, "no sentence is written twice in \(file.path)")
        }
        let again = try await run(
            ["run", TestSupport.samples.path, "--pipeline", file, "--out", out.path], server: server)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(server.stats.completed == stats.completed, "the rerun makes no call")
    }

    /// Runs the samples against an account another client spends half of, and counts the 429s.
    func tooManyRequests(headers: Bool) async throws -> (refused: Int, completed: Int) {
        var config = FakeServerConfiguration(rpm: 12, window: .seconds(2))
        config.rateLimitHeaders = headers
        config.otherClientRequests = 6
        let server = try await FakeMoonshotServer.start(config)
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let file = try pipeline(
            """
            extends: kimi
            chunking: {chunk_tokens: 600}
            concurrency: 3
            limits: {rpm: 12, window_seconds: 2}
            retries: {max_attempts: 6, base_delay_ms: 100, max_delay_ms: 2000}
            """, in: dir)
        let result = try await run(
            ["run", TestSupport.samples.path, "--pipeline", file, "--out", dir.appendingPathComponent("out").path],
            server: server)
        #expect(result.status == 0, "\(result.stderr)")
        return (server.stats.tooManyRequests, server.stats.completed)
    }

    @Test func theAccountsHeadersKeepARunOutOfAnotherClientsWay() async throws {
        let blind = try await tooManyRequests(headers: false)
        let told = try await tooManyRequests(headers: true)
        #expect(told.completed >= 12 && told.completed == blind.completed, "enough calls to meet the other client")
        #expect(blind.refused > 1, "without headers the run cannot see the other client")
        print(
            "429s against an account half spent by another client: \(told.refused) with the headers, \(blind.refused) without"
        )
        #expect(told.refused <= 1, "\(told.refused) × 429 with the headers, \(blind.refused) without")
    }
}
