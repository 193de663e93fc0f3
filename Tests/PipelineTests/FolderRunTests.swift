import Foundation
import Logging
import Pipeline
import PrecisTesting
import Testing

struct FolderRunTests {
    /// A copy of the samples to edit, and an output directory.
    func workspace(_ name: String = #function) throws -> (input: URL, out: URL) {
        let dir = try TestSupport.temporaryDirectory(name)
        let input = dir.appendingPathComponent("in")
        try FileManager.default.copyItem(at: TestSupport.samples, to: input)
        return (input, dir.appendingPathComponent("out"))
    }

    func run(_ input: URL, _ out: URL, config: PipelineConfig = .builtIn) async throws -> RunReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await FolderRun(
            options: RunOptions(inputs: [input.path], outputDirectory: out, concurrency: 2), config: config,
            logger: logger
        ).run()
    }

    func file(_ report: RunReport, _ path: String) throws -> RunReport.File {
        try #require(report.files.first { $0.path == path })
    }

    /// The default pipeline with small chunks, so that the long sample is a tree of several calls.
    var smallChunks: PipelineConfig {
        var config = PipelineConfig.builtIn
        config.chunking.chunkTokens = 1200
        return config
    }

    @Test func aChangedFileIsSummarizedAgainAndTheOthersAreReused() async throws {
        let (input, out) = try workspace()
        let first = try await run(input, out, config: smallChunks)
        #expect(first.totals.ok == 4)
        let story = input.appendingPathComponent("en/harrow-point.txt")
        let text = try String(contentsOf: story, encoding: .utf8)
        try
            (text
            + "\n\nEpilogue\n\nYears later the notebook went on display in a new gallery by the sea, beside the old lens.\n")
            .write(to: story, atomically: true, encoding: .utf8)

        let second = try await run(input, out, config: smallChunks)
        let changed = try file(second, "en/harrow-point.txt")
        #expect(changed.status == .ok)
        // Only the last chunk's map call and the calls above it are new; earlier chunks are reused.
        #expect(changed.callsMade >= 1)
        #expect(changed.callsReused >= 1)
        let before = try file(first, "en/harrow-point.txt")
        #expect(changed.callsMade < before.callsMade)
        #expect(second.totals.skipped == 3)
        #expect(
            try String(contentsOf: out.appendingPathComponent("en/harrow-point.txt.md"), encoding: .utf8).contains(
                "Harrow Point"))
    }

    @Test func aFileThatGoesBadFailsAloneAndKeepsItsLastSummary() async throws {
        let (input, out) = try workspace()
        _ = try await run(input, out)
        let pdf = input.appendingPathComponent("pdf/community-solar-report.pdf")
        try Data("%PDF-1.4 truncated".utf8).write(to: pdf)
        let report = try await run(input, out)
        let failed = try file(report, "pdf/community-solar-report.pdf")
        #expect(failed.status == .failed)
        #expect(failed.error?.contains("damaged") == true)
        #expect(report.totals.skipped == 3)
        #expect(
            FileManager.default.fileExists(atPath: out.appendingPathComponent("pdf/community-solar-report.pdf.md").path)
        )
        let index = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.contains("| failed | damaged or unreadable PDF"))
    }

    @Test func aDeletedSummaryIsRebuiltFromTheStoreWithoutCalls() async throws {
        let (input, out) = try workspace()
        _ = try await run(input, out)
        let summary = out.appendingPathComponent("zh/运河边的书店.txt.md")
        let before = try TestSupport.markdownFiles(in: out)["zh/运河边的书店.txt.md"]
        try FileManager.default.removeItem(at: summary)
        let report = try await run(input, out)
        let rebuilt = try file(report, "zh/运河边的书店.txt")
        #expect(rebuilt.status == .ok)
        #expect(rebuilt.callsMade == 0)
        #expect(rebuilt.callsReused > 0)
        #expect(try TestSupport.markdownFiles(in: out)["zh/运河边的书店.txt.md"] == before)
    }

    @Test func aPipelineChangeRedoesEveryFile() async throws {
        let (input, out) = try workspace()
        _ = try await run(input, out)
        var config = PipelineConfig.builtIn
        config.extractive.finalTokens = 200
        let report = try await run(input, out, config: config)
        #expect(report.totals.skipped == 0)
        #expect(report.totals.callsMade > 0)
    }

    @Test func anOutputDirectoryInsideTheInputIsNotReadBack() async throws {
        let (input, _) = try workspace()
        let out = input.appendingPathComponent("precis-out")
        _ = try await run(input, out)
        let second = try await run(input, out)
        #expect(second.totals.files == 4)
        #expect(!second.files.contains { $0.path.hasPrefix("precis-out") })
    }

    @Test func aMissingInputIsAUsageError() async throws {
        let dir = try TestSupport.temporaryDirectory()
        await #expect {
            try await run(dir.appendingPathComponent("nope"), dir.appendingPathComponent("out"))
        } throws: { ($0 as? PipelineError)?.code == .usage && String(describing: $0).contains("nope") }
    }
}
