import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `ocr: kimi` and `formats: kimi`: what precis cannot read itself goes to the fake platform's file
/// extraction, is kept in the store by content hash, and is deleted there once read.
@Suite(.serialized)
struct KimiExtractionTests {
    static let scanned = TestSupport.root.appendingPathComponent("Tests/Fixtures/pdf/scanned.pdf")

    /// A folder with a scanned PDF, a DOCX, an EPUB and a text file.
    static func folder() throws -> URL {
        let dir = try TestSupport.temporaryDirectory().appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: scanned, to: dir.appendingPathComponent("scan.pdf"))
        // The fake does not parse office files; bytes with the right names are enough to route them.
        try Data("PK\u{3}\u{4} minutes of the board".utf8).write(to: dir.appendingPathComponent("minutes.docx"))
        try Data("PK\u{3}\u{4} a short book".utf8).write(to: dir.appendingPathComponent("book.epub"))
        try Data("A plain note about the harbour and the ferry timetable for the winter months.\n".utf8).write(
            to: dir.appendingPathComponent("note.txt"))
        return dir
    }

    static func pipeline(in dir: URL, base: String = "kimi") throws -> String {
        try TestSupport.write("extends: \(base)\nocr: kimi\nformats: kimi\n", to: "read.yaml", in: dir).path
    }

    @Test func scannedPDFsAndOfficeFilesAreReadByKimiOnceAndDeletedThere() async throws {
        var configuration = FakeServerConfiguration()
        configuration.extractedTexts["scan.pdf"] =
            "The scanned report\n\nThe lighthouse keeper logged every ship that passed the point in 1911. The log shows storms in March and calm in June."
        let server = try await FakeMoonshotServer.start(configuration)
        defer { Task { await server.stop() } }
        let inbox = try Self.folder()
        let dir = inbox.deletingLastPathComponent()
        let out = dir.appendingPathComponent("out")
        let environment = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
        let result = try await PrecisProcess.run(
            ["run", inbox.path, "--pipeline", try Self.pipeline(in: dir), "--out", out.path], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let files = try readFiles(out)
        #expect(
            files.count == 4 && files.values.allSatisfy { $0.status == .ok }, "\(files.mapValues { $0.error ?? "ok" })")
        #expect(files["scan.pdf"]?.warnings.contains("read by Kimi's file extraction") == true)
        #expect(files["minutes.docx"]?.warnings.contains("read by Kimi's file extraction") == true)
        #expect(files["note.txt"]?.warnings.isEmpty == true, "a text file is read here")
        #expect(server.stats.uploads == 3 && server.stats.extractions == 3)
        #expect(server.fileIDs.isEmpty, "each upload was deleted once read")
        let scanPage = try String(contentsOf: out.appendingPathComponent("scan.pdf.md"), encoding: .utf8)
        #expect(scanPage.contains("title: \"The scanned report\""), "\(scanPage)")

        // Another pipeline redoes every summary, but the text is in the store: nothing is uploaded.
        let other = try TestSupport.write(
            "extends: kimi\nocr: kimi\nformats: kimi\nmax_tokens: {map: 400, reduce: 600, final: 800}\n",
            to: "other.yaml", in: dir)
        let again = try await PrecisProcess.run(
            ["run", inbox.path, "--pipeline", other.path, "--out", out.path], environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try readTotals(out).ok == 4)
        #expect(server.stats.uploads == 3, "a rerun uploads nothing")
        let estimate = try await PrecisProcess.run(
            ["estimate", inbox.path, "--pipeline", other.path, "--out", out.path, "--json"], environment: environment)
        #expect(
            try JSONOutput.decode(RunEstimate.self, from: Data(estimate.stdout.utf8)).failing.isEmpty,
            "the estimate reads the stored text")
    }

    @Test func withoutAKeyTheseFilesAreSkippedWithAReasonAndTheRestIsSummarized() async throws {
        let inbox = try Self.folder()
        let dir = inbox.deletingLastPathComponent()
        let out = dir.appendingPathComponent("out")
        // The offline summarizer with Kimi's readers asked for, and no key.
        let result = try await PrecisProcess.run(
            ["run", inbox.path, "--pipeline", try Self.pipeline(in: dir, base: "default"), "--out", out.path],
            environment: ["MOONSHOT_API_KEY": ""])
        #expect(
            result.stderr.contains("skipped 2 office, EPUB or HTML file(s)")
                && result.stderr.contains("MOONSHOT_API_KEY is not set"), "\(result.stderr)")
        let files = try readFiles(out)
        #expect(files["note.txt"]?.status == .ok)
        #expect(files["minutes.docx"] == nil && files["book.epub"] == nil)
        #expect(files["scan.pdf"]?.status == .failed)
        #expect(
            files["scan.pdf"]?.error?.contains(
                "ocr: kimi reads it through Kimi's file extraction, which needs MOONSHOT_API_KEY") == true,
            "\(files["scan.pdf"]?.error ?? "")")
        #expect(result.status == 1, "the scanned PDF failed, naming why; the rest is done")
    }

    @Test func aFileOverTheExtractionLimitFailsAloneWithItsReason() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let inbox = try Self.folder()
        let dir = inbox.deletingLastPathComponent()
        // Sparse: 101 MB on paper, nothing on disk.
        let big = inbox.appendingPathComponent("huge.pptx")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 101 * 1024 * 1024)
        try handle.close()
        let out = dir.appendingPathComponent("out")
        let result = try await PrecisProcess.run(
            ["run", inbox.path, "--pipeline", try Self.pipeline(in: dir), "--out", out.path],
            environment: ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL])
        #expect(result.status == 1, "\(result.stderr)")
        let files = try readFiles(out)
        #expect(files["huge.pptx"]?.status == .failed)
        #expect(
            files["huge.pptx"]?.error?.contains("over the 100 MB Kimi's file extraction takes") == true,
            "\(files["huge.pptx"]?.error ?? "")")
        #expect(files.values.filter { $0.status == .ok }.count == 4, "the others are done")
        #expect(server.fileIDs.isEmpty)
    }
}
