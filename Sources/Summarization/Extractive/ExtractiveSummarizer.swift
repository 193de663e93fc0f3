import Chunking

/// The offline summarizer: picks the sentences that carry the most of the text, in their original order.
///
/// ``SentenceRanker`` scores each sentence by its centrality among the others (LexRank), its
/// closeness to the text's centroid and its position, and fills the token budget by value per
/// token without repeating itself. Deterministic: the same inputs always give the same summary. It
/// treats Chinese by character bigrams, so it needs no word segmenter.
public struct ExtractiveSummarizer: Summarizer {
    /// How long summaries are at each stage.
    public struct Options: Sendable, Hashable, Codable {
        /// The most tokens of a map, reduce and final summary.
        public var mapTokens: Int
        public var reduceTokens: Int
        public var finalTokens: Int
        /// The share of the input a summary keeps at most, per stage, before the caps apply.
        public var mapRatio: Double
        public var reduceRatio: Double
        public var finalRatio: Double
        /// The least tokens a summary aims for, when the input has that many.
        public var minimumTokens: Int

        public init(
            mapTokens: Int = 180, reduceTokens: Int = 300, finalTokens: Int = 400,
            mapRatio: Double = 0.25, reduceRatio: Double = 0.5, finalRatio: Double = 0.6, minimumTokens: Int = 60
        ) {
            self.mapTokens = mapTokens
            self.reduceTokens = reduceTokens
            self.finalTokens = finalTokens
            self.mapRatio = mapRatio
            self.reduceRatio = reduceRatio
            self.finalRatio = finalRatio
            self.minimumTokens = minimumTokens
        }
    }

    public var options: Options
    public var estimator: TokenEstimator

    /// Sentences are ranked within the inputs alone.
    public var readsContext: Bool { false }

    public init(options: Options = Options(), estimator: TokenEstimator = TokenEstimator()) {
        self.options = options
        self.estimator = estimator
    }

    public var fingerprint: String {
        let o = options
        return
            "extractive/centrality-v2 map=\(o.mapTokens)@\(o.mapRatio) reduce=\(o.reduceTokens)@\(o.reduceRatio) final=\(o.finalTokens)@\(o.finalRatio) min=\(o.minimumTokens) \(Self.ranker.fingerprint)"
    }

    public func maxOutputTokens(for stage: Stage) -> Int {
        switch stage {
        case .map: options.mapTokens
        case .reduce: options.reduceTokens
        case .final: options.finalTokens
        }
    }

    /// The token target for an input of `inputTokens` at `stage`: the stage's ratio, within its floor and cap.
    public func target(for stage: Stage, inputTokens: Int) -> Int {
        let ratio =
            switch stage {
            case .map: options.mapRatio
            case .reduce: options.reduceRatio
            case .final: options.finalRatio
            }
        let wanted = max(options.minimumTokens, Int((Double(inputTokens) * ratio).rounded()))
        return max(1, min(maxOutputTokens(for: stage), wanted))
    }

    public func summarize(_ inputs: [String], stage: Stage, context: SummaryContext) async throws -> Summary {
        let sentences = inputs.flatMap(SentenceSplitter.sentences(in:))
        let inputTokens = estimator.estimate(inputs)
        let target = target(for: stage, inputTokens: inputTokens)
        let text = select(sentences, target: target)
        return Summary(text: text, promptTokens: inputTokens, completionTokens: estimator.estimate(text))
    }

    func select(_ sentences: [String], target: Int) -> String {
        guard !sentences.isEmpty else { return "" }
        let ranked = self.ranked(sentences)
        let chosen = Self.ranker.pick(ranked, budget: target)
        if chosen.isEmpty {
            // Every sentence is longer than the target: keep the best one, cut to fit.
            let scores = Self.ranker.scores(ranked)
            let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
            return Chunker(budget: target, estimator: estimator).chunks(of: sentences[best]).first?.text ?? ""
        }
        return Self.join(chosen.map { sentences[$0] })
    }

    /// The indices of the sentences a summary of at most `target` tokens keeps, in text order.
    /// - Parameter sections: each sentence's section, when the text has them.
    func pick(_ sentences: [String], target: Int, sections: [Int]? = nil) -> [Int] {
        Self.ranker.pick(ranked(sentences), budget: target, sections: sections)
    }

    /// Sentences as the ranker sees them.
    private func ranked(_ sentences: [String]) -> [SentenceRanker.Sentence] {
        var extractor = TermExtractor()
        return sentences.map { sentence in
            let terms = extractor.terms(of: sentence)
            // Headings and scraps make poor summaries: only full sentences are picked while there are any.
            return .init(
                terms: terms, tokens: estimator.estimate(sentence),
                eligible: SentenceSplitter.isComplete(sentence) && terms.count >= 4)
        }
    }

    static let ranker = SentenceRanker()

    /// Joins sentences with a space, or with nothing between CJK text.
    static func join(_ sentences: [String]) -> String {
        var out = ""
        for sentence in sentences {
            if let last = out.unicodeScalars.last, let first = sentence.unicodeScalars.first,
                !(last.isCJK && first.isCJK)
            {
                out += " "
            }
            out += sentence
        }
        return out
    }
}
