extension SentenceRanker {
    /// The similarity graph within the window, and each sentence's total edge weight.
    ///
    /// Dot products come from an inverted index: each sentence meets only the later sentences that
    /// share a term with it, never the hundreds in its window that share none, and each product is
    /// summed in term order, as ``cosine(_:_:)`` sums it.
    func graph(_ vectors: [Vector]) -> (edges: [[(Int, Double)]], out: [Double]) {
        let n = vectors.count
        let postings = Postings(vectors)
        var cursor = [Int](repeating: 0, count: postings.terms)
        var dot = [Double](repeating: 0, count: window)
        var edges = [[(Int, Double)]](repeating: [], count: n)
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let vector = vectors[i]
            let last = min(n - 1, i + window)
            for (term, weight) in zip(vector.terms, vector.weights) {
                let t = Int(term)
                let end = postings.start[t + 1]
                // Postings are in sentence order and i is visited in order: i is the next of its term.
                var p = postings.start[t] + cursor[t] + 1
                cursor[t] += 1
                while p < end, postings.sentence[p] <= last {
                    dot[postings.sentence[p] - i - 1] += weight * postings.weight[p]
                    p += 1
                }
            }
            for d in 0..<max(0, last - i) where dot[d] != 0 {
                let (j, w) = (i + 1 + d, dot[d])
                dot[d] = 0
                guard w >= threshold else { continue }
                edges[i].append((j, w))
                edges[j].append((i, w))
                out[i] += w
                out[j] += w
            }
        }
        return (edges, out)
    }

    /// Each term's sentences and weights, in sentence order, in one flat array.
    struct Postings {
        var start: [Int]
        var sentence: [Int]
        var weight: [Double]
        var terms: Int { start.count - 1 }

        init(_ vectors: [Vector]) {
            let terms = Int(vectors.lazy.compactMap { $0.terms.last }.max() ?? -1) + 1
            var start = [Int](repeating: 0, count: terms + 1)
            for vector in vectors { for term in vector.terms { start[Int(term) + 1] += 1 } }
            for t in 0..<terms { start[t + 1] += start[t] }
            var fill = Array(start.dropLast())
            var sentence = [Int](repeating: 0, count: start[terms])
            var weight = [Double](repeating: 0, count: start[terms])
            for (i, vector) in vectors.enumerated() {
                for (term, w) in zip(vector.terms, vector.weights) {
                    let t = Int(term)
                    sentence[fill[t]] = i
                    weight[fill[t]] = w
                    fill[t] += 1
                }
            }
            (self.start, self.sentence, self.weight) = (start, sentence, weight)
        }
    }
}
