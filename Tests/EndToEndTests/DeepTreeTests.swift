import Foundation
import Pipeline
import PrecisTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A file under a path longer than PATH_MAX, or with a name the page's `.md` would push past 255
/// bytes, is read and summarized like any other, and its page is reachable from the index.
struct DeepTreeTests {
    /// Makes folders `depth` deep, each with a 200-byte name, under `root`, and writes `text` in
    /// the deepest, all through `openat` (the whole path is too long for the kernel to take).
    func deepFile(under root: URL, depth: Int, text: String) throws {
        var folder = open(root.path, O_RDONLY | O_DIRECTORY)
        try #require(folder >= 0)
        for level in 0..<depth {
            let name = "level-\(level)-" + String(repeating: "d", count: 190)
            try #require(mkdirat(folder, name, 0o755) == 0 || errno == EEXIST)
            let next = openat(folder, name, O_RDONLY | O_DIRECTORY)
            close(folder)
            try #require(next >= 0)
            folder = next
        }
        let fd = openat(folder, "deep-notes.txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        close(folder)
        try #require(fd >= 0)
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    @Test func aFileDeeperThanPathMaxAndOneWithALongNameAreSummarizedWithReachablePages() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let story = try TestSupport.storyText()
        try deepFile(under: input, depth: 24, text: story)
        try TestSupport.write(story, to: String(repeating: "n", count: 250) + ".txt", in: input)
        try TestSupport.write(story, to: "plain.txt", in: input)
        let out = dir.appendingPathComponent("out")
        let result = try await PrecisProcess.run(["run", input.path, "--out", out.path, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try readReport(out)
        #expect(report.files.count == 3, "\(report.files.map(\.path))")
        #expect(
            report.files.allSatisfy { $0.status == .ok },
            "\(report.files.map { "\($0.path.suffix(40)): \($0.error ?? "")" })")
        #expect(report.files.contains { $0.path.utf8.count > Int(PATH_MAX) && $0.path.hasSuffix("/deep-notes.txt") })
        for file in report.files {
            let page = try #require(file.output)
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(page).path), "\(page.prefix(80))")
        }
        // The rerun finds every file unchanged, deep ones included.
        let again = try await PrecisProcess.run(["run", input.path, "--out", out.path, "-q"])
        #expect(again.status == 0)
        #expect(try readTotals(out).skipped == 3)
    }
}
