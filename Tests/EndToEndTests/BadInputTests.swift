import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Real folders: every kind of bad input beside good files, in one run.
@Suite(.timeLimit(.minutes(2)))
struct BadInputTests {
    let fixtures = TestSupport.root.appendingPathComponent("Tests/Fixtures/pdf")

    @Test func everyBadFileGetsItsReasonAndTheGoodOnesAreSummarized() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.copyItem(at: TestSupport.samples, to: input)
        try FileManager.default.copyItem(
            at: fixtures.appendingPathComponent("outlined-book.pdf"), to: input.appendingPathComponent("book.pdf"))
        try FileManager.default.copyItem(
            at: fixtures.appendingPathComponent("user-password.pdf"), to: input.appendingPathComponent("locked.pdf"))
        try FileManager.default.copyItem(
            at: fixtures.appendingPathComponent("owner-password-only.pdf"),
            to: input.appendingPathComponent("owner-only.pdf"))
        let pdf = try Data(contentsOf: TestSupport.samples.appendingPathComponent("pdf/community-solar-report.pdf"))
        try TestSupport.write(pdf.prefix(pdf.count / 2), to: "truncated.pdf", in: input)
        try TestSupport.write(Data("%PDF-1.7\n1 0 obj <<".utf8), to: "damaged.pdf", in: input)
        try TestSupport.write(Data(), to: "empty.txt", in: input)
        try TestSupport.write(
            Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }), to: "blob.txt", in: input)
        try TestSupport.write(
            String(repeating: "A line of a large log file. ", count: 8000), to: "huge.log.txt", in: input)
        try TestSupport.write(
            "Old Windows export, “quoted”. It still reads.".data(using: .windowsCP1252)!, to: "legacy.txt", in: input)
        try TestSupport.write(
            "An export with no byte-order mark. Still text.".data(using: .utf16LittleEndian)!, to: "utf16.txt",
            in: input)
        #expect(mkfifo(input.appendingPathComponent("pipe.txt").path, 0o644) == 0)
        #expect(symlink("loop-b.txt", input.appendingPathComponent("loop-a.txt").path) == 0)
        #expect(symlink("loop-a.txt", input.appendingPathComponent("loop-b.txt").path) == 0)
        #expect(symlink("gone.txt", input.appendingPathComponent("dangling.txt").path) == 0)
        #expect(symlink(".", input.appendingPathComponent("self").path) == 0)

        let out = dir.appendingPathComponent("out")
        // Small chunks, so that the book's chapters are each a tree of their own.
        let sections = try TestSupport.write(
            "extends: \(TestSupport.root.path)/pipelines/default.yaml\nchunking: {chunk_tokens: 1200}\noutput:\n  sections: true\n",
            to: "sections.yaml", in: dir)
        let result = try await PrecisProcess.run([
            "run", input.path, "--out", out.path, "--max-file-size", "100k", "--pipeline", sections.path
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let byPath = try readFiles(out)
        let expected: [String: String] = [
            "truncated.pdf": "damaged or unreadable PDF", "damaged.pdf": "damaged or unreadable PDF",
            "locked.pdf": "encrypted PDF", "empty.txt": "holds no text", "blob.txt": "binary file",
            "huge.log.txt": "over the 102400-byte limit", "pipe.txt": "named pipe", "loop-a.txt": "symbolic link loop",
            "loop-b.txt": "symbolic link loop", "dangling.txt": "symbolic link to nothing"
        ]
        for (path, reason) in expected {
            #expect(byPath[path]?.status == .failed, "\(path)")
            #expect((byPath[path]?.error)?.contains(reason) == true, "\(path): \(byPath[path]?.error ?? "no error")")
        }
        for path in [
            "en/harrow-point.txt", "zh/运河边的书店.txt", "pdf/community-solar-report.pdf", "pdf/茶叶简史.pdf",
            "book.pdf", "owner-only.pdf", "legacy.txt", "utf16.txt"
        ] {
            #expect(byPath[path]?.status == .ok, "\(path): \(byPath[path]?.error ?? "")")
        }
        #expect(byPath["legacy.txt"]?.encoding == "windows-1252")
        #expect(byPath["utf16.txt"]?.encoding == "utf-16le")

        // The book is summarized chapter by chapter, its chapter summaries under the whole.
        let book = try String(contentsOf: out.appendingPathComponent("book.pdf.md"), encoding: .utf8)
        #expect(book.contains("## Chapters"))
        #expect(book.contains("### Chapter 1: The Letter (page 2)"))
        #expect(book.contains("### Chapter 8: The Light (page 9)"))

        // The password opens the locked one.
        let unlocked = try await PrecisProcess.run(
            ["run", input.path, "--out", out.path, "--max-file-size", "100k", "--pipeline", sections.path],
            environment: ["PRECIS_PDF_PASSWORD": "secret"])
        #expect(unlocked.status == 1)
        #expect(try readFiles(out)["locked.pdf"]?.status == .ok)
    }
    @Test func aFileTruncatedAndRewrittenWhileItIsReadFailsAloneAndTheRunEnds() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.copyItem(at: TestSupport.samples.appendingPathComponent("en"), to: input)
        let churned = input.appendingPathComponent("churn.txt")
        let size = 24 << 20
        try TestSupport.write(Data(count: size), to: "churn.txt", in: input)
        // `cmd > churn.txt` over and over: emptied, then written again, while precis reads it.
        let stop = Locked(false)
        let writer = Thread {
            let zeros = [UInt8](repeating: 0, count: 1 << 20)
            while !stop.value {
                let fd = open(churned.path, O_WRONLY | O_TRUNC)
                guard fd >= 0 else { continue }
                for _ in 0..<(size >> 20) { _ = zeros.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
                close(fd)
            }
        }
        writer.start()
        defer { stop.withLock { $0 = true } }
        for round in 0..<3 {
            let out = dir.appendingPathComponent("out\(round)")
            let result = try await PrecisProcess.run(["run", input.path, "--out", out.path, "--jobs", "1"])
            #expect(result.status == 1 || result.status == 0, "round \(round): exit \(result.status), \(result.stderr)")
            let files = try readFiles(out)
            #expect(files["harrow-point.txt"]?.status == .ok, "the other file is summarized")
            #expect(files["churn.txt"]?.status != .ok, "round \(round): \(String(describing: files["churn.txt"]))")
        }
    }
}
