import Foundation
import Pipeline
import PrecisTesting
import Testing

/// The same call wanted by several documents at once is paid for once.
struct DuplicateCallTests {
    @Test func copiesOfTheSameFilesAtHighConcurrencyPayEachDistinctCallOnce() async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(latency: .milliseconds(60)))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        // Five copies of the two sample PDFs, beside the other samples once.
        try FileManager.default.copyItem(at: TestSupport.samples, to: input)
        for copy in 1...4 {
            for name in ["community-solar-report.pdf", "茶叶简史.pdf"] {
                try FileManager.default.copyItem(
                    at: TestSupport.samples.appendingPathComponent("pdf/\(name)"),
                    to: input.appendingPathComponent("copies-\(copy)/\(name)", isDirectory: false).creatingFolder())
            }
        }
        let pipeline = try ResumeTests().smallPipeline(in: dir)
        let out = dir.appendingPathComponent("out")
        let result = try await PrecisProcess.run(
            ["run", input.path, "--pipeline", pipeline, "--out", out.path, "--concurrency", "8", "-q"],
            environment: ResumeTests().environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        let totals = try readTotals(out)
        #expect(totals.ok == 12)
        #expect(server.stats.repeatedCompletions == 0, "a prompt was answered twice")
        #expect(totals.callsMade == server.stats.completed)
        #expect(totals.callsReused > 0, "the copies reused the first copy's calls")
    }
}

extension URL {
    /// The URL, once its folder exists.
    fileprivate func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
