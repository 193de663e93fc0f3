import Chunking
import Summarization
import Testing

/// Extract-then-abstract: one call on the document's most central sentences, not a tree over all of it.
struct ExtractAbstractTests {
    /// A report-like document: each section on its own topic, its sentences about it in varied words.
    func sections(_ count: Int, sentences: Int = 24) -> [Section] {
        let topics = [
            ("tides", "harbour", "pier"), ("budget", "council", "taxes"), ("school", "teachers", "pupils"),
            ("railway", "station", "trains"), ("hospital", "nurses", "patients"), ("library", "books", "readers"),
            ("market", "traders", "stalls"), ("bridge", "river", "engineers"), ("festival", "music", "visitors"),
            ("farms", "harvest", "grain"), ("museum", "paintings", "curators"), ("park", "trees", "gardeners")
        ]
        let verbs = ["measured", "reported", "changed", "doubled", "reviewed", "planned", "opened", "counted"]
        return (1...count).map { s in
            let (a, b, c) = topics[(s - 1) % topics.count]
            let body = (1...sentences).map { n in
                "The \(a) \(verbs[n % verbs.count]) the \(b) \(n % 2 == 0 ? "early" : "late") while the \(c) waited \(n % 3 == 0 ? "outside" : "nearby")."
            }
            return Section(text: body.joined(separator: " "), headingPath: ["Part \(s)"])
        }
    }

    func chunks(_ count: Int, budget: Int = 400) -> [Chunk] {
        Chunker(budget: budget).chunks(of: sections(count))
    }

    @Test func aLongDocumentIsOneCallOnAnExtractWithinItsRoom() async throws {
        let chunks = chunks(8)
        #expect(chunks.count > 4)
        let executor = RecordingExecutor()
        let strategy = ExtractAbstract(extractTokens: 300, mapReduce: MapReduce(budget: 400))
        let result = try await strategy.summarize(
            documentID: "d", title: "T", language: .english, chunks: chunks,
            summarizer: PrefixSummarizer(keep: 80), executor: executor)
        let calls = executor.calls.withLock { $0 }
        #expect(calls.map(\.stage) == [.final])
        #expect(result.levels == 1 && result.callsMade == 1)
        let extract = calls[0].inputs.joined()
        #expect(TokenEstimator().estimate(extract) <= 300)
        #expect(TokenEstimator().estimate(extract) > 200, "the extract should use most of its room")
        // The central sentences, not the opening only, under their headings and in document order.
        let topics = ["tides", "council", "teachers", "trains", "nurses", "books", "traders", "engineers"]
        #expect(topics.filter { extract.contains($0) }.count >= 4, "\(extract)")
        let headings = extract.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        #expect(headings.count >= 3, "\(extract)")
        #expect(headings == headings.sorted { Int($0.dropFirst(8))! < Int($1.dropFirst(8))! })
        let source = chunks.map(\.text).joined(separator: " ")
        let picked = extract.split(separator: "\n").filter { !$0.hasPrefix("## ") && !$0.isEmpty }
            .flatMap { SentenceSplitter.sentences(in: String($0)) }
        let positions = picked.map { source.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted(), "sentences keep document order")
    }

    @Test func itSpendsAFractionOfTheTreesPromptTokens() async throws {
        let chunks = chunks(12)
        let tree = MapReduce(budget: 400)
        let mapReduce = try await tree.summarize(
            documentID: "d", title: "T", chunks: chunks,
            summarizer: PrefixSummarizer(keep: 80), executor: RecordingExecutor())
        let treeExecutor = RecordingExecutor()
        _ = try await tree.summarize(
            documentID: "d", title: "T", chunks: chunks, summarizer: PrefixSummarizer(keep: 80), executor: treeExecutor)
        let extractExecutor = RecordingExecutor()
        _ = try await ExtractAbstract(extractTokens: 300, mapReduce: tree).summarize(
            documentID: "d", title: "T", language: .english, chunks: chunks, summarizer: PrefixSummarizer(keep: 80),
            executor: extractExecutor)
        func read(_ executor: RecordingExecutor) -> Int {
            executor.calls.withLock { $0.reduce(0) { $0 + $1.estimatedTokens } }
        }
        #expect(mapReduce.callsMade > 12)
        #expect(
            read(extractExecutor) * 3 <= read(treeExecutor), "\(read(extractExecutor)) against \(read(treeExecutor))")
    }

    @Test func aDocumentOneCallHoldsIsReadWhole() async throws {
        let chunks = chunks(1, budget: 4000)
        #expect(chunks.count == 1)
        let executor = RecordingExecutor()
        _ = try await ExtractAbstract(extractTokens: 100, mapReduce: MapReduce(budget: 4000)).summarize(
            documentID: "d", title: "T", language: .english, chunks: chunks, summarizer: PrefixSummarizer(keep: 80),
            executor: executor)
        let calls = executor.calls.withLock { $0 }
        #expect(calls.count == 1 && calls[0].inputs == [chunks[0].text])
    }

    @Test func aBookIsReadChapterByChapterThenMerged() async throws {
        // Chapters large enough to be chapters, and a book past one extract's span.
        let book = (1...4).map { c in
            Section(
                text: (1...12).map {
                    "Chapter \(c) paragraph \($0) tells a part of the story. "
                        + String(repeating: "More words follow here. ", count: 12)
                }
                .joined(separator: "\n\n"), headingPath: ["Chapter \(c)"])
        }
        let chunks = Chunker(budget: 400).chunks(of: book)
        let strategy = ExtractAbstract(extractTokens: 60, mapReduce: MapReduce(budget: 400))
        #expect(chunks.reduce(0) { $0 + $1.tokens } > strategy.span)
        let executor = RecordingExecutor()
        let result = try await strategy.summarize(
            documentID: "d", title: "T", language: .english, chunks: chunks,
            summarizer: PrefixSummarizer(keep: 40), executor: executor)
        let calls = executor.calls.withLock { $0 }
        let maps = calls.filter { $0.stage == .map }
        #expect(maps.map(\.context.headingPath) == (1...4).map { ["Chapter \($0)"] })
        #expect(
            maps.allSatisfy { call in
                call.inputs.allSatisfy { $0.contains("Chapter \(call.context.headingPath[0].dropFirst(8)) paragraph") }
            })
        #expect(calls.last?.stage == .final)
        #expect(result.chapters.map(\.title) == (1...4).map { "Chapter \($0)" })
    }

    @Test func aRerunReusesTheCall() async throws {
        let chunks = chunks(6)
        let executor = RecordingExecutor()
        let strategy = ExtractAbstract(extractTokens: 200, mapReduce: MapReduce(budget: 400))
        let first = try await strategy.summarize(
            documentID: "d", title: "T", language: .english, chunks: chunks,
            summarizer: PrefixSummarizer(keep: 80), executor: executor)
        let second = try await strategy.summarize(
            documentID: "d", title: "T", language: .english, chunks: chunks,
            summarizer: PrefixSummarizer(keep: 80), executor: executor)
        #expect(second.callsMade == 0 && second.callsReused == 1)
        #expect(second.summary == first.summary)
    }
}
