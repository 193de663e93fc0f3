import Chunking

/// How much each call is told about the text around its inputs (the pipeline's `context:`).
///
/// `headings` keeps every map call independent, so a level still runs in parallel. `previous`
/// chains the calls of a level, each waiting for its sibling's summary, as BooookScore's
/// hierarchical merge does: better continuity, at the cost of running a document's level in series.
public enum ContextMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The inputs alone.
    case none
    /// Map calls get their heading path and the tail of the preceding chunk.
    case headings
    /// Every call gets the summary its previous sibling wrote.
    case previous

    /// The most tokens of carried text a call may get, out of a call budget of `budget` tokens.
    public func carriedTokens(budget: Int) -> Int {
        switch self {
        case .none: 0
        case .headings: min(200, budget / 10)
        case .previous: budget / 5
        }
    }

    /// Tokens to keep free in each call for the carried text and the words that frame it.
    public func reserve(budget: Int) -> Int {
        self == .none ? 0 : carriedTokens(budget: budget) + 48
    }

    /// The end of `text` within `tokens`: whole sentences from the end, or a cut last sentence.
    public static func tail(of text: String, tokens: Int, estimator: TokenEstimator) -> String {
        guard tokens > 0 else { return "" }
        if estimator.estimate(text) <= tokens { return text }
        // Only the end can be kept, so only the end is split; its first sentence may be cut, so it is dropped.
        let window = text.suffix(tokens * 8)
        var sentences = SentenceSplitter.sentences(in: String(window))
        if window.count < text.count, sentences.count > 1 { sentences.removeFirst() }
        var kept: [String] = []
        var used = 0
        for sentence in sentences.reversed() {
            let cost = estimator.estimate(sentence) + 1
            if used + cost > tokens { break }
            kept.append(sentence)
            used += cost
        }
        if !kept.isEmpty { return kept.reversed().joined(separator: " ") }
        // One sentence longer than the room: keep its end.
        var suffix = Substring(window)
        while !suffix.isEmpty && estimator.estimate(String(suffix)) > tokens {
            suffix = suffix.dropFirst(max(1, suffix.count / 8))
        }
        return String(suffix)
    }
}
