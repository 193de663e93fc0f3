import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `precis extract`: the text precis would chunk, with no store and no calls.
struct ExtractTests {

    func items(_ arguments: [String]) async throws -> [String: Extraction.Item] {
        let result = try await PrecisProcess.run(["extract", "--json"] + arguments)
        let list = try JSONOutput.decode([Extraction.Item].self, from: Data(result.stdout.utf8))
        return Dictionary(uniqueKeysWithValues: list.map { ($0.path, $0) })
    }

    @Test func printsEachFilesTextUnderItsNameAndWritesNothing() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let result = try await PrecisProcess.run(["extract", TestSupport.samples.path, "--jobs", "2"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("==> en/harrow-point.txt <=="))
        #expect(result.stdout.contains("==> pdf/茶叶简史.pdf <=="))
        #expect(result.stdout.contains("Mara Quill"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func jsonGivesPagesChaptersEncodingAndATokenEstimate() async throws {
        let book = TestSupport.root.appendingPathComponent("Tests/Fixtures/pdf/outlined-book.pdf").path
        let found = try await items([TestSupport.samples.path, book])
        let pdf = try #require(found["outlined-book.pdf"])
        #expect(pdf.pages == 9)
        #expect(pdf.chapters.count == 8)
        #expect(pdf.tokens > 1000)
        #expect(found["samples/zh/运河边的书店.txt"]?.encoding == "utf-8")
        // Cleaning takes out the page numbers and line breaks the raw text keeps.
        let raw = try await items(["--raw", book])["outlined-book.pdf"]
        #expect(raw?.tokens ?? 0 > pdf.tokens)
    }

    @Test func aBadFileIsNamedOnStderrAndExitsOne() async throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.write(Data("%PDF-1.7\n1 0 obj <<".utf8), to: "broken.pdf", in: dir)
        try TestSupport.write("Fine text. Still here.", to: "fine.txt", in: dir)
        let result = try await PrecisProcess.run(["extract", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("broken.pdf: damaged or unreadable PDF"))
        #expect(result.stdout.contains("Fine text."))
    }

    @Test func aNamedLinkLoopIsThatFilesFailureAndTheOtherNamesAreStillRead() async throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.write("Fine text.\n", to: "ok.txt", in: dir)
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("loop.txt").path, withDestinationPath: "loop-b.txt")
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("loop-b.txt").path, withDestinationPath: "loop.txt")
        let result = try await PrecisProcess.run(["extract", "ok.txt", "loop.txt"], in: dir)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("Fine text."))
        #expect(result.stderr.contains("loop.txt: not a regular file: a symbolic link loop"), "\(result.stderr)")
        // A name that is not there at all is still a mistake in the command.
        #expect(try await PrecisProcess.run(["extract", "ok.txt", "absent.txt"], in: dir).status == 2)
    }
}
