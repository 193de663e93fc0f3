import Foundation
import Pipeline
import PrecisTesting
import Testing

/// What a run writes for people: pages with front matter, sections, the folder's summary, the index.
@Suite(.serialized)
struct OutputPageTests {

    /// The front matter of a page as key → raw value.
    func frontMatter(_ url: URL) throws -> [String: String] {
        let page = try String(contentsOf: url, encoding: .utf8)
        #expect(page.hasPrefix("---\n"))
        let block = page.dropFirst(4).components(separatedBy: "\n---\n")[0]
        var fields: [String: String] = [:]
        for line in block.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    func sha256(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")[0]
            .description
    }

    @Test func everyPageOpensWithFrontMatterThatMatchesTheReport() async throws {
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        #expect(try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path]).status == 0)
        let source = TestSupport.samples.appendingPathComponent("en/harrow-point.txt")
        let fields = try frontMatter(out.appendingPathComponent("en/harrow-point.txt.md"))
        let file = try #require(try readFiles(out)["en/harrow-point.txt"])
        #expect(fields["source"] == "\"en/harrow-point.txt\"")
        #expect(fields["title"] == "\"The Keepers of Harrow Point\"")
        #expect(fields["content_hash"] == "sha256:" + (try sha256(source)))
        #expect(fields["pipeline"] == "\"default\"")
        #expect(fields["model"] == "\"extractive\"")
        #expect(fields["prompt_tokens"] == "\(file.promptTokens)")
        #expect(fields["completion_tokens"] == "\(file.completionTokens)")
        #expect(fields["levels"] == "\(file.levels)")
        #expect(fields["chunks"] == "\(file.chunks)")
        #expect(fields["calls"] == "\(file.callsMade)")
        #expect(ISO8601DateFormatter().date(from: fields["generated_at"] ?? "") != nil)
        // Sections are off unless the pipeline asks for them.
        #expect(
            !(try String(contentsOf: out.appendingPathComponent("en/harrow-point.txt.md"), encoding: .utf8)).contains(
                "\n## "))
    }

    @Test func sectionsListEachPartsOwnSummaryWithItsPages() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try TestSupport.write(
            "extends: \(TestSupport.root.path)/pipelines/default.yaml\nchunking: {chunk_tokens: 1200}\noutput:\n  sections: true\n",
            to: "s.yaml", in: dir)
        #expect(
            try await PrecisProcess.run([
                "run", TestSupport.samples.path, "--out", out.path, "--pipeline", pipeline.path
            ]).status == 0)
        let story = try String(contentsOf: out.appendingPathComponent("en/harrow-point.txt.md"), encoding: .utf8)
        #expect(story.contains("\n## Chapters\n") || story.contains("\n## Sections\n"))
        #expect(story.components(separatedBy: "\n### ").count > 2)
        let report = try String(
            contentsOf: out.appendingPathComponent("pdf/community-solar-report.pdf.md"), encoding: .utf8)
        if report.contains("\n### ") { #expect(report.contains("(page")) }
    }

    @Test func aFolderSummaryCombinesTheDocumentsAndIsReusedOnTheNextRun() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.copyItem(at: TestSupport.samples, to: input)
        let out = dir.appendingPathComponent("out")
        let first = try await PrecisProcess.run(["run", input.path, "--out", out.path, "--corpus-summary"])
        #expect(first.status == 0, "\(first.stderr)")
        let corpus = try #require(try readReport(out).corpus)
        #expect(corpus.status == .ok)
        #expect(corpus.callsMade >= 1)
        let page = out.appendingPathComponent("corpus-summary.md")
        #expect(try frontMatter(page)["title"] == "\"in\"")
        #expect(
            try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8).contains(
                "[The whole folder](corpus-summary.md)"))

        // Nothing changed: every call of the folder summary is reused, and gc keeps them.
        #expect(try await PrecisProcess.run(["run", input.path, "--out", out.path, "--corpus-summary"]).status == 0)
        #expect(try readTotals(out).callsMade == 0)
        let gc = try await PrecisProcess.run(["gc", out.path, "--dry-run", "--json"])
        let freed = try #require(try JSONSerialization.jsonObject(with: Data(gc.stdout.utf8)) as? [String: Any])
        #expect((freed["calls"] as? [String: Any])?["calls"] as? Int == 0, "\(gc.stdout)")

        // A new document: the folder summary is made again, and the old one's calls become garbage.
        try TestSupport.write(
            "A short new note. It says the ferry now runs on Sundays. The timetable is posted at the pier.",
            to: "note.txt", in: input)
        #expect(try await PrecisProcess.run(["run", input.path, "--out", out.path, "--corpus-summary"]).status == 0)
        #expect(try readReport(out).corpus?.callsMade ?? 0 >= 1)
        let after = try await PrecisProcess.run(["gc", out.path, "--dry-run", "--json"])
        let garbage = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect((garbage["calls"] as? [String: Any])?["calls"] as? Int ?? 0 >= 1, "\(after.stdout)")
    }

    @Test func aLinkInTheOutputFolderFailsThatFileAndNothingIsWrittenOutsideIt() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let outside = dir.appendingPathComponent("elsewhere")
        // precis's own folder, with a link put in it.
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent(".precis"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        #expect(symlink(outside.path, out.appendingPathComponent("en").path) == 0)
        let result = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path])
        #expect(result.status == 1)
        #expect((try readFiles(out)["en/harrow-point.txt"]?.error ?? "").contains("symlink"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }
    @Test func everyIndexLinkLeadsToItsPageWhateverTheName() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        let text = "The harbour froze in the winter of that year. The ferries stopped for a month."
        let names = ["a|b.txt", "x<y>z.txt", "close]bracket [1].txt", "hash#tag.txt", "100% sure.txt", "a*b_c`d.txt"]
        for name in names { try TestSupport.write(text, to: name, in: input) }
        let out = dir.appendingPathComponent("out")
        let result = try await PrecisProcess.run(["run", input.path, "--out", out.path, "--corpus-summary"])
        #expect(result.status == 0, "\(result.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.hasPrefix("# Summaries"), "the index is the folder's own page")
        // Each table row: one link whose destination, percent-decoded, is a page that exists, and
        // as many cells as the header has.
        let rows = index.split(separator: "\n").filter { $0.hasPrefix("| [") }
        #expect(rows.count == names.count)
        for row in rows {
            let cells = row.replacingOccurrences(of: "\\|", with: "").split(
                separator: "|", omittingEmptySubsequences: false)
            #expect(cells.count == 5, "a name broke the table: \(row)")
            let destination = try #require(
                row.range(of: #"\]\(([^)]*)\)"#, options: .regularExpression).map {
                    String(row[$0].dropFirst(2).dropLast())
                })
            let page = try #require(destination.removingPercentEncoding)
            #expect(
                FileManager.default.fileExists(atPath: out.appendingPathComponent(page).path),
                "\(destination) leads nowhere")
        }
    }
}
