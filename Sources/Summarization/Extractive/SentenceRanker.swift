import Foundation

/// Ranks a text's sentences by how much of the whole they carry, and picks a summary within a
/// token budget.
///
/// Three signals, each scaled to 0…1 and weighted:
/// - **centrality** (LexRank): PageRank over the sentences' TF-IDF cosine similarities, so a
///   sentence many others echo ranks high;
/// - **centroid**: the cosine between the sentence and the text's own TF-IDF centroid (its most
///   telling terms), which rewards sentences about the text's main topic even when few neighbours
///   echo them;
/// - **position**: a prior that decays from the start of the text and rises again at its end, where
///   writers state their point and their conclusion.
///
/// The pick is greedy by value per token with maximal marginal relevance: each step takes the
/// sentence whose score, less its similarity to what is already chosen, is highest per token it
/// costs, until the budget is spent. Everything is deterministic.
struct SentenceRanker {
    var centralityWeight = 1.0
    var centroidWeight = 1.0
    var positionWeight = 0.6
    /// How strongly similarity to chosen sentences counts against a candidate.
    var redundancy = 0.7
    /// Cost exponent: 1 is value per token, 0 ignores length. 0.3 was chosen on the first half of
    /// `make eval`'s papers and holds on the second.
    var lengthExponent = 0.3
    /// A candidate this similar to a chosen sentence is a near copy, never picked.
    var nearCopy = 0.8
    /// Sentences whose topical score is at most this share of the best are left out.
    var offTopic = 0.1
    /// Terms kept in the centroid.
    var centroidTerms = 80
    /// Similarities below this are no edge of the graph.
    var threshold = 0.08
    /// Each sentence links to this many neighbours on either side, so the graph grows linearly.
    var window = 400
    var damping = 0.85
    /// How much a section's opening counts against the text's, when sections are given.
    var sectionOpening = 0.7

    /// Every setting that shapes a pick, for the summarizer's fingerprint: a change makes new keys.
    var fingerprint: String {
        "rank-v1 c=\(centralityWeight) t=\(centroidWeight) p=\(positionWeight) r=\(redundancy) l=\(lengthExponent) "
            + "n=\(nearCopy) o=\(offTopic) k=\(centroidTerms) h=\(threshold) w=\(window) d=\(damping)"
    }

    /// A sentence as the ranker sees it: its term ids (sorted, unique) and its cost in tokens.
    struct Sentence {
        var terms: [Int32]
        var tokens: Int
        /// Whether it may be picked at all (complete and long enough).
        var eligible: Bool
    }

    /// The sentences' scores, higher is better.
    func scores(_ sentences: [Sentence]) -> [Double] {
        rate(sentences, weighted(sentences), sections: nil).total
    }

    /// Each sentence's score, and the part of it that is about the text's topic (no position).
    private func rate(_ sentences: [Sentence], _ vectors: [Vector], sections: [Int]?) -> (
        total: [Double], topical: [Double]
    ) {
        let n = sentences.count
        guard n > 1 else { return (Array(repeating: 1, count: n), Array(repeating: 1, count: n)) }
        let centrality = Self.normalized(lexRank(vectors))
        let centroid = Self.normalized(centroidScores(vectors))
        let topical = (0..<n).map { centralityWeight * centrality[$0] + centroidWeight * centroid[$0] }
        let prior = sections.map { positions(sections: $0) } ?? (0..<n).map { position($0, of: n) }
        return ((0..<n).map { topical[$0] + positionWeight * prior[$0] }, topical)
    }

    /// The position prior of a text in sections: the text's own, or the sentence's place in its
    /// section where that is higher, so that every section's opening counts, not only the text's.
    func positions(sections: [Int]) -> [Double] {
        let n = sections.count
        var starts: [Int: (first: Int, count: Int)] = [:]
        for (i, section) in sections.enumerated() {
            if let start = starts[section] {
                starts[section] = (start.first, start.count + 1)
            } else {
                starts[section] = (i, 1)
            }
        }
        return (0..<n).map { i in
            let section = starts[sections[i]]!
            return max(position(i, of: n), sectionOpening * position(i - section.first, of: section.count))
        }
    }

    /// The indices picked for a summary of at most `budget` tokens, in text order.
    /// - Parameter sections: each sentence's section, when the text has them: each section's
    ///   opening then counts as the text's does.
    func pick(_ sentences: [Sentence], budget: Int, sections: [Int]? = nil) -> [Int] {
        let n = sentences.count
        guard n > 0, budget > 0 else { return [] }
        let vectors = weighted(sentences)
        let (score, topical) = rate(sentences, vectors, sections: sections)
        var chosen: [Int] = []
        var closest = [Double](repeating: 0, count: n)
        var left = budget
        // A sentence that shares next to nothing with the text's topic is never worth its room.
        let floor = offTopic * (topical.max() ?? 0)
        // In text order, so that equal values go to the earlier sentence.
        var open = (0..<n).filter { sentences[$0].eligible && (n == 1 || topical[$0] > floor) }
        if open.isEmpty { open = (0..<n).filter { sentences[$0].eligible } }
        if open.isEmpty { open = Array(0..<n) }
        while left > 0 {
            var best: Int?
            var bestValue = -Double.infinity
            // A near copy of a chosen sentence says nothing new at any score.
            for i in open where sentences[i].tokens <= left && closest[i] < nearCopy {
                let gain = score[i] - redundancy * closest[i]
                let value = gain / pow(Double(max(1, sentences[i].tokens)), lengthExponent)
                if value > bestValue { (best, bestValue) = (i, value) }
            }
            guard let pick = best else { break }
            chosen.append(pick)
            open.removeAll { $0 == pick }
            left -= sentences[pick].tokens
            for i in open { closest[i] = max(closest[i], Self.cosine(vectors[i], vectors[pick])) }
        }
        return chosen.sorted()
    }

    /// A sparse TF-IDF vector: term ids (sorted) with their weights, unit length.
    struct Vector {
        var terms: [Int32]
        var weights: [Double]
    }

    /// Each sentence's terms weighted by their inverse sentence frequency, normalized.
    func weighted(_ sentences: [Sentence]) -> [Vector] {
        var df: [Int32: Int] = [:]
        for sentence in sentences { for term in sentence.terms { df[term, default: 0] += 1 } }
        let n = Double(sentences.count)
        return sentences.map { sentence in
            var weights = sentence.terms.map { log((n + 1) / (Double(df[$0]!) + 0.5)) }
            let norm = sqrt(weights.reduce(0) { $0 + $1 * $1 })
            if norm > 0 { weights = weights.map { $0 / norm } }
            return Vector(terms: sentence.terms, weights: weights)
        }
    }

    /// Continuous LexRank: PageRank over cosine-weighted edges within the window.
    private func lexRank(_ vectors: [Vector]) -> [Double] {
        let n = vectors.count
        let (edges, out) = graph(vectors)
        var score = [Double](repeating: 1 / Double(n), count: n)
        var next = score
        let base = (1 - damping) / Double(n)
        for _ in 0..<60 {
            var delta = 0.0
            var dangling = 0.0
            for j in 0..<n where out[j] == 0 { dangling += score[j] }
            for i in 0..<n {
                var sum = dangling / Double(n)
                for (j, w) in edges[i] { sum += w / out[j] * score[j] }
                next[i] = base + damping * sum
                delta += abs(next[i] - score[i])
            }
            swap(&score, &next)
            if delta < 1e-8 { break }
        }
        // A sentence that echoes no other is central to nothing, whatever share of the walk it holds.
        for i in 0..<n where out[i] == 0 { score[i] = 0 }
        return score
    }

    /// Each sentence's cosine with the centroid of the text, cut to its heaviest terms.
    private func centroidScores(_ vectors: [Vector]) -> [Double] {
        var sum: [Int32: Double] = [:]
        var seen: [Int32: Int] = [:]
        for vector in vectors {
            for (term, weight) in zip(vector.terms, vector.weights) {
                sum[term, default: 0] += weight
                seen[term, default: 0] += 1
            }
        }
        // A term used in one sentence alone is no topic of the text.
        if seen.values.contains(where: { $0 >= 2 }) { sum = sum.filter { seen[$0.key]! >= 2 } }
        let top = sum.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(centroidTerms)
            .sorted { $0.key < $1.key }
        let norm = sqrt(top.reduce(0) { $0 + $1.value * $1.value })
        guard norm > 0 else { return Array(repeating: 0, count: vectors.count) }
        let centroid = Vector(terms: top.map(\.key), weights: top.map { $0.value / norm })
        return vectors.map { Self.cosine($0, centroid) }
    }

    /// The position prior: 1 at the start, decaying, with a smaller rise over the last tenth.
    func position(_ i: Int, of n: Int) -> Double {
        let x = Double(i) / Double(max(1, n - 1))
        let start = exp(-6 * x)
        let end = x > 0.9 ? 0.3 * (x - 0.9) / 0.1 : 0
        return max(start, end)
    }

    static func cosine(_ a: Vector, _ b: Vector) -> Double {
        var i = 0
        var j = 0
        var dot = 0.0
        while i < a.terms.count && j < b.terms.count {
            if a.terms[i] == b.terms[j] {
                dot += a.weights[i] * b.weights[j]
                i += 1
                j += 1
            } else if a.terms[i] < b.terms[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return dot
    }

    static func normalized(_ values: [Double]) -> [Double] {
        guard let high = values.max(), let low = values.min(), high > low else { return values.map { _ in 0 } }
        return values.map { ($0 - low) / (high - low) }
    }
}
