import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `precis estimate` plans with what the run will use: with a key it asks the server's free
/// counter for the ratio, as the run does, so even a first estimate is the run's calls and its
/// prompt tokens within 10%; a folder's stored ratio does the same for new files without a key.
@Suite(.serialized)
struct KimiEstimateTests {
    /// Six texts of 20 to 60 kB, as in the report that found the gap.
    func texts(in folder: URL, from first: Int) throws {
        let story = try TestSupport.storyText().components(separatedBy: "\n\n")
        for index in first..<(first + 3) {
            var text = ""
            var paragraph = index * 7
            while text.utf8.count < 20_000 + (index % 6) * 8_000 {
                text += story[paragraph % story.count] + "\n\n"
                paragraph += 1
            }
            try TestSupport.write(text, to: "text-\(index).txt", in: folder)
        }
    }

    func estimate(_ input: URL, out: URL, env: [String: String]) async throws -> RunEstimate {
        let result = try await PrecisProcess.run(
            ["estimate", input.path, "--pipeline", "kimi", "--out", out.path, "--json"], environment: env)
        return try JSONOutput.decode(RunEstimate.self, from: Data(result.stdout.utf8))
    }

    @Test func theEstimateMatchesTheRunAgainstAServerThatCountsMore() async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(tokenScale: 1.9))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try texts(in: input, from: 0)
        let out = dir.appendingPathComponent("out")
        let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]

        let first = try await estimate(input, out: out, env: env)
        #expect(first.tokenRatioSource?.contains("asked now") == true, "\(first.tokenRatioSource ?? "")")
        #expect(server.stats.chatRequests == 0, "an estimate makes no model call")
        let run = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", "kimi", "--out", out.path], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let made = server.stats
        #expect(first.calls == made.completed, "\(first.calls) planned, \(made.completed) made")
        #expect(
            abs(Double(first.promptTokens - made.promptTokens)) <= 0.1 * Double(made.promptTokens),
            "\(first.promptTokens) expected, \(made.promptTokens) sent")

        // New files into the folder: the stored ratio plans them, with no key.
        try texts(in: input, from: 3)
        let next = try await estimate(input, out: out, env: ["MOONSHOT_BASE_URL": server.baseURL])
        #expect(next.tokenRatioSource?.contains("kept in the store") == true, "\(next.tokenRatioSource ?? "")")
        let again = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", "kimi", "--out", out.path], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        let added = server.stats.completed - made.completed
        let sent = server.stats.promptTokens - made.promptTokens
        #expect(next.calls == added, "\(next.calls) planned, \(added) made")
        #expect(
            abs(Double(next.promptTokens - sent)) <= 0.1 * Double(sent), "\(next.promptTokens) expected, \(sent) sent")
    }
}
