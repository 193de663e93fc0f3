import Foundation
import Ingest
import PrecisTesting
import Testing

/// The walk: only regular files are read, nothing hangs it, and any name works.
struct InputWalkerTests {
    func ids(_ walker: InputWalker = InputWalker(), in dir: URL) throws -> [String] {
        try walker.files(in: [dir.path]).map(\.id)
    }

    @Test func listsFIFOsAndLinkLoopsWithTheirKindInsteadOfOpeningThem() throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.write("text", to: "good.txt", in: dir)
        #expect(mkfifo(dir.appendingPathComponent("pipe.txt").path, 0o644) == 0)
        #expect(symlink("b.txt", dir.appendingPathComponent("a.txt").path) == 0)
        #expect(symlink("a.txt", dir.appendingPathComponent("b.txt").path) == 0)
        #expect(symlink("missing.txt", dir.appendingPathComponent("dangling.txt").path) == 0)
        // A folder linking to itself, and one linking back from below: the walk must end.
        #expect(symlink(".", dir.appendingPathComponent("self").path) == 0)
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("deep"), withIntermediateDirectories: true)
        #expect(symlink("..", dir.appendingPathComponent("deep/up").path) == 0)
        let files = try InputWalker().files(in: [dir.path])
        let kinds = Dictionary(uniqueKeysWithValues: files.map { ($0.id, $0.kind) })
        #expect(
            kinds == [
                "good.txt": .regular, "pipe.txt": .fifo, "a.txt": .symlinkLoop, "b.txt": .symlinkLoop,
                "dangling.txt": .brokenLink
            ])
        let loader = DocumentLoader()
        for file in files where file.kind != .regular {
            #expect { try loader.read(file) } throws: { ($0 as? IngestError)?.code == .notRegularFile }
        }
    }

    @Test func followsALinkedFolderOnce() throws {
        let dir = try TestSupport.temporaryDirectory()
        let elsewhere = try TestSupport.temporaryDirectory("elsewhere")
        try TestSupport.write("text", to: "far.txt", in: elsewhere)
        #expect(symlink(elsewhere.path, dir.appendingPathComponent("linked").path) == 0)
        #expect(symlink(elsewhere.path, dir.appendingPathComponent("again").path) == 0)
        #expect(try ids(in: dir).count == 1)
    }

    @Test func hiddenFilesAreSkippedUnlessAskedFor() throws {
        let dir = try TestSupport.temporaryDirectory()
        for name in ["a.txt", ".secret.txt", ".hidden/h.txt"] { try TestSupport.write("text", to: name, in: dir) }
        #expect(try ids(in: dir) == ["a.txt"])
        #expect(try ids(InputWalker(includeHidden: true), in: dir) == [".hidden/h.txt", ".secret.txt", "a.txt"])
    }

    @Test func includeAndExcludeGlobsMatchNamesAndPaths() throws {
        let dir = try TestSupport.temporaryDirectory()
        for name in ["a.txt", "b.pdf", "drafts/c.pdf", "drafts/deep/d.txt", "2024/q1/notes.txt"] {
            try TestSupport.write("x", to: name, in: dir)
        }
        #expect(try ids(InputWalker(include: [Glob("*.pdf")]), in: dir) == ["b.pdf", "drafts/c.pdf"])
        #expect(try ids(InputWalker(exclude: [Glob("drafts/**")]), in: dir) == ["2024/q1/notes.txt", "a.txt", "b.pdf"])
        #expect(try ids(InputWalker(include: [Glob("2024/*/notes.txt")]), in: dir) == ["2024/q1/notes.txt"])
        #expect(
            try ids(InputWalker(include: [Glob("**/*.txt")], exclude: [Glob("drafts/**")]), in: dir) == [
                "2024/q1/notes.txt", "a.txt"
            ])
    }

    @Test func namesWithSpacesNewlinesAndInvalidUTF8AreReadAndShownReadably() throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.write("Spaces are fine. Really.", to: "with space.txt", in: dir)
        try TestSupport.write("A newline in a name. Odd, but legal.", to: "line\nbreak.txt", in: dir)
        // "caf\xE9.txt": Latin-1 bytes, not UTF-8, as an old archive might hold.
        let raw = Array(dir.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".txt".utf8)
        let fd = (raw + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        }
        #expect(fd >= 0)
        _ = "Latin-1 named. Still text.".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let files = try InputWalker().files(in: [dir.path])
        #expect(files.map(\.id) == ["caf\\xE9.txt", "line\\nbreak.txt", "with space.txt"])
        for file in files { #expect(try DocumentLoader().load(file).parts.isEmpty == false) }
    }

    @Test func sizesParseWithUnits() {
        #expect(IngestOptions.parseSize("256M") == 256 << 20)
        #expect(IngestOptions.parseSize("1g") == 1 << 30)
        #expect(IngestOptions.parseSize("500k") == 500 << 10)
        #expect(IngestOptions.parseSize("1200") == 1200)
        #expect(IngestOptions.parseSize("big") == nil)
        #expect(IngestOptions.parseSize("-5M") == nil)
    }
}
