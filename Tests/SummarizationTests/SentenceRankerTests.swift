import Testing

@testable import Summarization

struct SentenceRankerTests {
    /// Sentences as the ranker sees them, from lists of words (each word one term).
    func sentences(_ texts: [String]) -> [SentenceRanker.Sentence] {
        var extractor = TermExtractor()
        return texts.map { text in
            .init(terms: extractor.terms(of: text), tokens: text.split(separator: " ").count, eligible: true)
        }
    }

    let texts = [
        "The harbour ferry carries cars and passengers across the bay every hour.",
        "Gulls nest on the cliffs above the old quarry in spring.",
        "The ferry timetable changes in winter, when the harbour ferry runs every two hours.",
        "Passengers buy ferry tickets at the harbour office before boarding the ferry.",
        "A bakery on the hill sells bread from six in the morning.",
        "The harbour ferry was rebuilt last year, and cars now board from both ends."
    ]

    @Test func theIndexedGraphHasExactlyTheEdgesOfEveryPairwiseCosineInTheWindow() {
        // Sentences of words drawn from a small vocabulary, so that many pairs share terms and some share none.
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let vocabulary = (0..<60).map { "word\($0)" }
        let texts = (0..<300).map { _ in
            (0..<(3 + next(12))).map { _ in vocabulary[next(vocabulary.count)] }.joined(separator: " ")
        }
        var ranker = SentenceRanker()
        ranker.window = 7
        let vectors = ranker.weighted(sentences(texts))
        let (edges, out) = ranker.graph(vectors)
        var expected = [[(Int, Double)]](repeating: [], count: texts.count)
        var total = [Double](repeating: 0, count: texts.count)
        for i in texts.indices {
            for j in (i + 1)..<min(texts.count, i + 1 + ranker.window) {
                let w = SentenceRanker.cosine(vectors[i], vectors[j])
                guard w >= ranker.threshold else { continue }
                expected[i].append((j, w))
                expected[j].append((i, w))
                total[i] += w
                total[j] += w
            }
        }
        #expect(edges.map { $0.map(\.0) } == expected.map { $0.map(\.0) })
        #expect(edges.map { $0.map(\.1) } == expected.map { $0.map(\.1) }, "the same weights, to the bit")
        #expect(out == total)
        #expect(expected.joined().count > texts.count, "the window holds many edges, and the test compares them")
    }

    @Test func aSentenceTheOthersEchoOutranksOneAboutSomethingElse() {
        let scores = SentenceRanker().scores(sentences(texts))
        #expect(scores[2] > scores[1] && scores[2] > scores[4], "\(scores)")
        #expect(scores[5] > scores[4])
    }

    @Test func thePickStaysWithinItsBudgetKeepsTextOrderAndLeavesTheOffTopicOut() {
        let picked = SentenceRanker().pick(sentences(texts), budget: 40)
        let cost = picked.reduce(0) { $0 + texts[$1].split(separator: " ").count }
        #expect(!picked.isEmpty && cost <= 40)
        #expect(picked == picked.sorted())
        #expect(!picked.contains(1) && !picked.contains(4), "gulls and bread share nothing with the ferry: \(picked)")
    }

    @Test func aNearCopyOfAPickedSentenceIsNotPickedAgain() {
        var copies = texts
        copies.insert("The harbour ferry carries cars and passengers across the bay every hour, too.", at: 1)
        let picked = SentenceRanker().pick(sentences(copies), budget: 40)
        #expect(!(picked.contains(0) && picked.contains(1)), "\(picked)")
    }

    @Test func theSameSentencesAlwaysGiveTheSamePick() {
        let ranker = SentenceRanker()
        let first = ranker.pick(sentences(texts), budget: 30)
        for _ in 0..<5 { #expect(ranker.pick(sentences(texts), budget: 30) == first) }
    }

    @Test func thePositionPriorFavoursTheStartAndRisesAgainAtTheEnd() {
        let ranker = SentenceRanker()
        #expect(ranker.position(0, of: 100) == 1)
        #expect(ranker.position(50, of: 100) < ranker.position(10, of: 100))
        #expect(ranker.position(99, of: 100) > ranker.position(80, of: 100))
    }
}
