import Chunking
import PrecisTesting
import Summarization
import Testing

struct ExtractiveSummarizerTests {
    let summarizer = ExtractiveSummarizer()
    let context = SummaryContext(title: "t")

    @Test func isDeterministicAndShorterThanItsInput() async throws {
        let story = try TestSupport.storyText()
        let chunk = try #require(Chunker(budget: 1200).chunks(of: story).first)
        let a = try await summarizer.summarize([chunk.text], stage: .map, context: context)
        let b = try await summarizer.summarize([chunk.text], stage: .map, context: context)
        #expect(a == b)
        #expect(a.completionTokens <= summarizer.maxOutputTokens(for: .map))
        #expect(a.completionTokens < chunk.tokens / 2)
    }

    @Test func picksWholeSentencesFromTheInputInTheirOrder() async throws {
        let story = try TestSupport.storyText()
        let chunk = try #require(Chunker(budget: 1200).chunks(of: story).dropFirst().first)
        let summary = try await summarizer.summarize([chunk.text], stage: .map, context: context)
        let source = SentenceSplitter.sentences(in: chunk.text)
        let picked = SentenceSplitter.sentences(in: summary.text)
        #expect(!picked.isEmpty)
        let positions = picked.map { source.firstIndex(of: $0) }
        #expect(!positions.contains(nil))
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test func ranksChineseByCharacterBigramsWithoutWordSpaces() async throws {
        let text = """
            茶起源于中国西南地区。唐代的茶文化以陆羽的茶经为代表，茶经记录了茶的采制和饮用。\
            宋代流行点茶，茶汤表面有细密的泡沫。今天天气很好。明代以后散茶取代了茶饼，茶的冲泡法普及开来。\
            他买了一辆自行车。茶叶贸易影响了世界，茶成为世界第二大饮品。
            """
        let summary = try await summarizer.summarize([text], stage: .final, context: context)
        #expect(summary.text.contains("茶"))
        #expect(!summary.text.contains("自行车"))
        #expect(!summary.text.contains(" "))
    }

    @Test func keepsHeadingsOutWhenFullSentencesExist() async throws {
        let text =
            "Chapter 4: The Storm\n\nThe storm came at night and the lamp failed at two. The keeper found the corroded gland behind the lamp controller. The storm kept the supply boat away for days."
        let summary = try await summarizer.summarize([text], stage: .final, context: context)
        #expect(!summary.text.contains("Chapter 4"))
    }

    @Test func cutsASingleOverlongSentenceToTheTarget() async throws {
        let sentence = Array(repeating: "word", count: 2000).joined(separator: " ") + "."
        let summary = try await summarizer.summarize([sentence], stage: .map, context: context)
        #expect(summary.completionTokens <= summarizer.maxOutputTokens(for: .map))
        #expect(!summary.text.isEmpty)
    }

    @Test func changesItsFingerprintWithItsOptions() {
        var options = ExtractiveSummarizer.Options()
        let before = ExtractiveSummarizer(options: options).fingerprint
        options.finalTokens += 1
        #expect(ExtractiveSummarizer(options: options).fingerprint != before)
    }
}
