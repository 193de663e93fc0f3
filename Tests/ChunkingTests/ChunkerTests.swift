import Chunking
import PrecisTesting
import Testing

struct ChunkerTests {
    @Test func everyChunkFitsItsBudgetOnMixedText() throws {
        let story = try TestSupport.storyText()
        let chinese = String(repeating: "运河边的书店开张了，老周很高兴。他说：日子会越来越好！", count: 200)
        let noSpaces = String(repeating: "x", count: 5000)
        for budget in [40, 200, 1200] {
            let chunker = Chunker(budget: budget)
            for text in [story, chinese, noSpaces, story + "\n\n" + chinese] {
                let chunks = chunker.chunks(of: text)
                #expect(!chunks.isEmpty)
                for chunk in chunks {
                    #expect(chunk.tokens <= budget, "chunk \(chunk.index) has \(chunk.tokens) tokens, budget \(budget)")
                    #expect(chunk.tokens == chunker.estimator.estimate(chunk.text))
                }
            }
        }
    }

    @Test func cutsAtUnicodeWhitespaceAndNeverInsideACharacter() {
        // Ideographic and no-break spaces separate the words; CRLF ends the lines.
        let words = (0..<400).map { "wörd\($0)" + ($0 % 3 == 0 ? "\u{3000}" : $0 % 3 == 1 ? "\u{A0}" : " ") }
        let text =
            words.joined() + "\r\n\r\n" + String(repeating: "é", count: 3000) + "👍🏽"
            + String(repeating: "ü", count: 3000)
        let chunks = Chunker(budget: 50).chunks(of: text)
        #expect(chunks.count > 10)
        let squeeze: (String) -> String = { String($0.unicodeScalars.filter { !$0.properties.isWhitespace }) }
        #expect(squeeze(chunks.map(\.text).joined()) == squeeze(text), "every character kept, none split")
        for chunk in chunks {
            #expect(chunk.tokens <= 50)
            #expect(chunk.text.unicodeScalars.first?.properties.isWhitespace == false, "chunks are trimmed")
        }
    }

    @Test func aChunksCountIsTheCountOfItsTextAcrossSectionsIndentsAndDigits() {
        // Pieces are counted once and summed; the sum must be what counting the joined text gives.
        let sections = (0..<60).map { i in
            Section(
                text:
                    "  \(i) items:\n    - first  entry \(i * 7)\n\n\t2024 \"quoted.\" (next)\n\n  XMLHttpRequest 。下一句。\n",
                page: i / 4 + 1)
        }
        for budget in [30, 64, 200] {
            let chunker = Chunker(budget: budget)
            for chunk in chunker.chunks(of: sections) {
                #expect(
                    chunk.tokens == chunker.estimator.estimate(chunk.text), "budget \(budget), chunk \(chunk.index)")
                #expect(chunk.tokens <= budget)
            }
        }
    }

    @Test func keepsAllTheTextInOrder() throws {
        let story = try TestSupport.storyText()
        let chunks = Chunker(budget: 300).chunks(of: story)
        let squeeze: (String) -> String = { $0.filter { !$0.isWhitespace } }
        #expect(squeeze(chunks.map(\.text).joined()) == squeeze(story))
        #expect(chunks.map(\.index) == Array(chunks.indices))
    }

    @Test func cutsAtSentenceEndsRatherThanMidSentence() throws {
        let story = try TestSupport.storyText()
        let chunks = Chunker(budget: 250).chunks(of: story)
        let endings = chunks.dropLast().filter { chunk in
            guard let last = chunk.text.last else { return false }
            return ".!?\"".contains(last) || chunk.text.hasSuffix(":")
        }
        // Nearly every cut lands on a sentence end or stronger; hard cuts are for text without one.
        #expect(endings.count * 10 >= (chunks.count - 1) * 9)
    }

    @Test func cutsChineseAtChineseSentenceEnds() {
        let text = String(repeating: "茶起源于中国西南地区。传说神农尝百草，得茶而解之！", count: 40)
        let chunks = Chunker(budget: 100).chunks(of: text)
        #expect(chunks.count > 1)
        for chunk in chunks { #expect(["。", "！"].contains(chunk.text.last)) }
    }

    @Test func prefersSectionBoundariesAndRecordsPages() {
        let sections = (1...6).map { (page: Int) -> Section in
            Section(
                text: String(repeating: "Page \(page) has a sentence of text. ", count: 8), page: page,
                headingPath: ["Part \(page)"])
        }
        let chunks = Chunker(budget: 200).chunks(of: sections)
        #expect(chunks.count > 1)
        for chunk in chunks {
            guard let first = chunk.pages?.lowerBound else {
                Issue.record("chunk \(chunk.index) has no pages")
                continue
            }
            #expect(chunk.text.hasPrefix("Page \(first) "))
            #expect(chunk.headingPath == ["Part \(first)"])
        }
        #expect(chunks.first?.pages?.lowerBound == 1)
        #expect(chunks.last?.pages?.upperBound == 6)
    }

    @Test func yieldsNoChunkForBlankText() {
        #expect(Chunker(budget: 100).chunks(of: "  \n\n \t ").isEmpty)
    }

    @Test func splitsSentencesInBothScriptsAndFoldsWrappedLines() {
        let sentences = SentenceSplitter.sentences(
            in: "Title line\nFirst sentence\nwraps here. Second one!\n\n第一句话。第二句\n话！")
        #expect(sentences == ["Title line", "First sentence wraps here.", "Second one!", "第一句话。", "第二句话！"])
    }
}
