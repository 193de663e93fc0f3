/// Turns sentences into sets of term ids for similarity: lowercased words for alphabetic scripts,
/// character bigrams for CJK, which needs no word segmentation.
struct TermExtractor {
    private var vocabulary: [String: Int32] = [:]

    /// The sorted, unique term ids of `sentence`; ids are given in order of first appearance,
    /// so the result never depends on hashing order.
    mutating func terms(of sentence: String) -> [Int32] {
        var ids: [Int32] = []
        var word = String.UnicodeScalarView()
        var cjkRun: [Unicode.Scalar] = []
        func flushWord() {
            defer { word.removeAll() }
            guard word.count >= 2 else { return }
            var text = String(word).lowercased()
            guard !Self.stopwords.contains(text) else { return }
            if text.count > 3, text.hasSuffix("s"), !text.hasSuffix("ss") { text.removeLast() }
            ids.append(id(text))
        }
        func flushCJK() {
            defer { cjkRun.removeAll() }
            if cjkRun.count == 1 { ids.append(id(String(cjkRun[0]))) }
            for i in cjkRun.indices.dropLast() {
                var pair = String.UnicodeScalarView()
                pair.append(cjkRun[i])
                pair.append(cjkRun[i + 1])
                ids.append(id(String(pair)))
            }
        }
        for s in sentence.unicodeScalars {
            if Self.isIdeographic(s) {
                flushWord()
                cjkRun.append(s)
            } else if s.isAlphanumericFast {
                flushCJK()
                word.append(s)
            } else {
                flushWord()
                flushCJK()
            }
        }
        flushWord()
        flushCJK()
        ids.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(ids.count)
        for id in ids where unique.last != id { unique.append(id) }
        return unique
    }

    private mutating func id(_ term: String) -> Int32 {
        if let id = vocabulary[term] { return id }
        let id = Int32(vocabulary.count)
        vocabulary[term] = id
        return id
    }

    static func isIdeographic(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
            true
        default: false
        }
    }

    static let stopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have",
        "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so",
        "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "was",
        "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your", "not", "no", "can",
        "could", "do", "did", "does", "all", "any", "more", "most", "also", "only", "such", "about", "out", "up",
        "one", "two", "may", "should", "how", "each", "other", "some", "over", "after", "before", "him", "my", "me"
    ]
}
