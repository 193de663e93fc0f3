import Chunking
import Summarization
import Testing

/// "Summarize each chapter, then the summaries": chapters are a level of the tree.
struct ChapterTreeTests {
    func sections(chapters: Int, paragraphs: Int) -> [Section] {
        (1...chapters).map { c in
            let body = (1...paragraphs).map { p in
                "Chapter \(c) paragraph \(p) tells a part of the story. "
                    + String(repeating: "More words follow here. ", count: 12)
            }
            return Section(text: "Chapter \(c)\n\n" + body.joined(separator: "\n\n"), headingPath: ["Chapter \(c)"])
        }
    }

    @Test func noChunkSpansTwoChaptersWhenChaptersAreLarge() {
        let chunks = Chunker(budget: 400).chunks(of: sections(chapters: 4, paragraphs: 6))
        #expect(chunks.count > 4)
        #expect(chunks.allSatisfy { $0.chapter == $0.headingPath.first })
        #expect(chunks.allSatisfy { chunk in chunk.text.contains("Chapter \(chunk.chapter!.dropFirst(8)) paragraph") })
    }

    @Test func smallSectionsArePackedTogetherWithoutChapters() {
        let tiny = (1...10).map { Section(text: "Note \($0)\n\nOne short line about it.", headingPath: ["Note \($0)"]) }
        let chunks = Chunker(budget: 400).chunks(of: tiny)
        #expect(chunks.count == 1)
        #expect(chunks[0].chapter == nil)
    }

    @Test func eachChapterIsReducedAloneThenTheChapterSummaries() async throws {
        let chunks = Chunker(budget: 400).chunks(of: sections(chapters: 3, paragraphs: 8))
        let executor = RecordingExecutor()
        let result = try await MapReduce(budget: 400).summarize(
            documentID: "d", title: "T", chunks: chunks,
            summarizer: PrefixSummarizer(keep: 120), executor: executor)
        #expect(result.chapters.map(\.title) == ["Chapter 1", "Chapter 2", "Chapter 3"])
        let calls = executor.calls.withLock { $0 }
        let chapterReduces = calls.filter { $0.stage == .reduce && !$0.context.headingPath.isEmpty }
        #expect(!chapterReduces.isEmpty)
        // A chapter's reduce reads only that chapter's summaries.
        for call in chapterReduces {
            let chapter = call.context.headingPath[0]
            #expect(
                call.inputs.allSatisfy { $0.hasPrefix(chapter + " ") || $0.hasPrefix(chapter + "\n") }, "\(call.inputs)"
            )
        }
        // The document summary is made from the chapter summaries.
        let final = try #require(calls.last)
        #expect(final.stage == .final)
        #expect(final.inputs == result.chapters.map(\.text))
        #expect(result.levels >= 3)
    }
}
