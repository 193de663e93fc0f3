import Foundation

/// Ranks sentences by TextRank: PageRank over a graph whose edges weigh shared terms.
///
/// Each sentence links only to its `window` nearest neighbours on either side, so the graph
/// grows linearly with the text instead of with its square.
struct TextRank {
    var damping = 0.85
    var iterations = 60
    var tolerance = 1e-7
    var window = 150

    /// A score per sentence; higher is more central.
    func scores(_ terms: [[Int32]]) -> [Double] {
        let n = terms.count
        guard n > 1 else { return Array(repeating: 1, count: n) }
        var edges = [[(Int, Double)]](repeating: [], count: n)
        var outWeight = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in (i + 1)..<min(n, i + 1 + window) {
                let w = Self.similarity(terms[i], terms[j])
                guard w > 0 else { continue }
                edges[i].append((j, w))
                edges[j].append((i, w))
                outWeight[i] += w
                outWeight[j] += w
            }
        }
        var score = [Double](repeating: 1.0 / Double(n), count: n)
        var next = score
        let base = (1 - damping) / Double(n)
        for _ in 0..<iterations {
            var delta = 0.0
            for i in 0..<n {
                var sum = 0.0
                for (j, w) in edges[i] { sum += w / outWeight[j] * score[j] }
                next[i] = base + damping * sum
                delta += abs(next[i] - score[i])
            }
            swap(&score, &next)
            if delta < tolerance { break }
        }
        return score
    }

    /// TextRank's overlap similarity: shared terms over the log of the sizes.
    static func similarity(_ a: [Int32], _ b: [Int32]) -> Double {
        let shared = overlap(a, b)
        guard shared > 0 else { return 0 }
        return Double(shared) / (log(Double(a.count + 1)) + log(Double(b.count + 1)))
    }

    /// Shared elements of two sorted arrays.
    static func overlap(_ a: [Int32], _ b: [Int32]) -> Int {
        var i = 0, j = 0, n = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { n += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
    }
}
