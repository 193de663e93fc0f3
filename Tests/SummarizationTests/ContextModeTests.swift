import Chunking
import Summarization
import Synchronization
import Testing

/// A summarizer that reads context, answering with its first input's opening words, and that
/// notes how many calls run at once.
final class ContextReader: Summarizer, Sendable {
    let running = Mutex<(now: Int, most: Int)>((0, 0))
    var fingerprint: String { "context-reader" }
    func maxOutputTokens(for stage: Stage) -> Int { 40 }
    func summarize(_ inputs: [String], stage: Stage, context: SummaryContext) async throws -> Summary {
        running.withLock {
            $0.now += 1
            $0.most = max($0.most, $0.now)
        }
        try await Task.sleep(for: .milliseconds(5))
        running.withLock { $0.now -= 1 }
        return Summary(
            text: "Summary of " + inputs.joined(separator: " ").split(separator: " ").prefix(6).joined(separator: " ")
                + ".")
    }
}

struct ContextModeTests {
    func chunks(_ count: Int) -> [Chunk] {
        (0..<count).map { i in
            let text =
                "Part \(i) opens here. " + String(repeating: "Sentence number \(i) of the part. ", count: 40)
                + "Part \(i) ends here."
            return Chunk(
                index: i, text: text, tokens: TokenEstimator().estimate(text), headingPath: ["Book", "Chapter \(i)"])
        }
    }

    func run(_ mode: ContextMode, summarizer: any Summarizer = ContextReader(), count: Int = 5) async throws
        -> [SummaryCall]
    {
        let executor = RecordingExecutor()
        _ = try await MapReduce(budget: 2000, context: mode).summarize(
            documentID: "d", title: "T", chunks: chunks(count),
            summarizer: summarizer, executor: executor)
        return executor.calls.withLock { $0 }
    }

    @Test func headingsGiveEachMapCallItsPathAndTheEndOfThePrecedingChunk() async throws {
        let maps = try await run(.headings).filter { $0.stage == .map }.sorted { $0.inputs[0] < $1.inputs[0] }
        #expect(maps.count == 5)
        #expect(maps[0].context.preceding == nil)
        #expect(maps[0].context.headingPath == ["Book", "Chapter 0"])
        for (index, call) in maps.enumerated().dropFirst() {
            let carried = try #require(call.context.preceding)
            #expect(carried.kind == .tail)
            #expect(carried.text.hasSuffix("Part \(index - 1) ends here."))
            #expect(TokenEstimator().estimate(carried.text) <= ContextMode.headings.carriedTokens(budget: 2000))
        }
    }

    @Test func previousCarriesTheSiblingsSummaryAndRunsALevelInOrder() async throws {
        let reader = ContextReader()
        let calls = try await run(.previous, summarizer: reader)
        let maps = calls.filter { $0.level == 0 }
        #expect(maps.map(\.inputs[0]) == chunks(5).map(\.text), "map calls ran in document order")
        #expect(maps[0].context.preceding == nil)
        for (index, call) in maps.enumerated().dropFirst() {
            #expect(
                call.context.preceding
                    == .init(kind: .summary, text: "Summary of Part \(index - 1) opens here. Sentence number."))
        }
        #expect(reader.running.withLock { $0.most } == 1)
    }

    @Test func headingsKeepTheMapLevelParallel() async throws {
        let reader = ContextReader()
        _ = try await run(.headings, summarizer: reader)
        #expect(reader.running.withLock { $0.most } > 1)
    }

    @Test func noneSendsOnlyTheInputs() async throws {
        for call in try await run(.none) {
            #expect(call.context.preceding == nil)
            #expect(call.context.headingPath.isEmpty)
        }
    }

    @Test func aSummarizerThatReadsNoContextGetsNoneAndKeepsItsKeys() async throws {
        let withPrevious = try await run(.previous, summarizer: ExtractiveSummarizer())
        let withHeadings = try await run(.headings, summarizer: ExtractiveSummarizer())
        #expect(withPrevious.allSatisfy { $0.context.preceding == nil })
        #expect(Set(withPrevious.map(\.key)) == Set(withHeadings.map(\.key)))
        #expect(MapReduce(budget: 2000, context: .previous).chunkBudget(for: ExtractiveSummarizer()) == 2000)
        #expect(MapReduce(budget: 2000, context: .previous).chunkBudget(for: ContextReader()) < 2000 - 400)
    }

    @Test func carriedContextIsPartOfTheKey() {
        let plain = SummaryContext(title: "T")
        var carried = plain
        carried.preceding = .init(kind: .tail, text: "before")
        #expect(
            SummaryCall.key(fingerprint: "f", stage: .map, inputs: ["x"], context: plain)
                != SummaryCall.key(fingerprint: "f", stage: .map, inputs: ["x"], context: carried))
    }

    @Test func promptsFrameTheContextAndNeverScanFilledText() {
        let context = SummaryContext(
            title: "A {text} title", preceding: .init(kind: .summary, text: "Earlier {title} part."))
        let rendered = PromptSet.render("Sum up {title}:\n\n{text}", text: "Body {context}.", context: context)
        #expect(
            rendered
                == "Sum up A {text} title:\n\n[Context: a summary of the preceding part; do not repeat it]\nEarlier {title} part.\n[End of context]\n\nBody {context}."
        )
        let slotted = PromptSet.render("{context}\n---\n{text}", text: "Body", context: context)
        #expect(slotted.hasPrefix("[Context: a summary"))
        #expect(slotted.hasSuffix("---\nBody"))
        #expect(PromptSet.render("{text}", text: "Body", context: SummaryContext(title: "T", preceding: nil)) == "Body")
    }

    @Test func theTailOfALongSentenceIsItsEnd() {
        let text = String(repeating: "word ", count: 500) + "final"
        let tail = ContextMode.tail(of: text, tokens: 30, estimator: TokenEstimator())
        #expect(tail.hasSuffix("final"))
        #expect(TokenEstimator().estimate(tail) <= 30)
    }
}
