import Foundation
import PrecisTesting
import Testing

@testable import Pipeline

/// Where pages may be written, and how their front matter quotes.
struct OutputPathTests {
    @Test func outputPathsCannotLeaveTheOutputDirectory() throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for bad in ["../x.md", "a/../../x.md", "/etc/x.md", "", "a//b.md", "./x.md"] {
            #expect(throws: PipelineError.self, "\(bad)") { try OutputPath.resolve(bad, in: out) }
        }
        let outside = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        #expect(symlink(outside.path, out.appendingPathComponent("en").path) == 0)
        #expect(throws: PipelineError.self) { try OutputPath.resolve("en/story.txt.md", in: out) }
        #expect(try OutputPath.resolve("zh/故事.txt.md", in: out).path == out.appendingPathComponent("zh/故事.txt.md").path)
    }

    @Test func frontMatterQuotesAnyTitle() {
        #expect(
            OutputPages.quoted("A \"quoted\" title: with\\slash\nand line")
                == "\"A \\\"quoted\\\" title: with\\\\slash\\nand line\"")
    }
    @Test func anInputNamedLikeTheFoldersOwnPagesGetsAPageOfItsOwn() {
        #expect(OutputPages.pagePath(for: "index") == "index.summary.md")
        #expect(OutputPages.pagePath(for: "corpus-summary") == "corpus-summary.summary.md")
        #expect(
            OutputPages.pagePath(for: "notes/index") == "notes/index.md", "only the top level holds the folder's pages")
        #expect(OutputPages.pagePath(for: "index.txt") == "index.txt.md")
    }

    @Test func linkTargetsAndLabelsSurviveMarkdownsPunctuation() {
        #expect(OutputPages.target("a b/100% #1?.txt.md") == "a%20b/100%25%20%231%3F.txt.md")
        #expect(OutputPages.target("zh/运河.txt.md") == "zh/运河.txt.md")
        #expect(OutputPages.label("a|b]c<d>*e") == "a\\|b\\]c\\<d\\>\\*e")
    }
}
