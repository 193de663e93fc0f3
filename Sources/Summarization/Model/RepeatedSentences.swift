import Chunking

/// A model's answer without the sentences it has already written.
///
/// A small model decoding greedily falls into loops, writing the same paragraph three or four times
/// until its limit; every copy after the first spends the summary's room on nothing.
enum RepeatedSentences {
    /// `answer` with every sentence that repeats an earlier one (ignoring case, spacing and
    /// punctuation) left out, and lines left empty by that dropped. Line structure is kept.
    static func removed(from answer: String) -> String {
        var seen: Set<String> = []
        var lines: [String] = []
        var changed = false
        for line in answer.split(separator: "\n", omittingEmptySubsequences: false) {
            let sentences = SentenceSplitter.sentences(in: String(line))
            let kept = sentences.filter { sentence in
                let key = normalized(sentence)
                // Scraps such as list numbers repeat without saying anything twice.
                let scrap = key.unicodeScalars.count < (key.unicodeScalars.contains(where: \.isCJK) ? 4 : 12)
                return scrap || seen.insert(key).inserted
            }
            if kept.count == sentences.count {
                lines.append(String(line))
                continue
            }
            changed = true
            if !kept.isEmpty { lines.append(ExtractiveSummarizer.join(kept)) }
        }
        guard changed else { return answer }
        // Blank lines left next to each other by a dropped paragraph become one.
        var out: [String] = []
        for line in lines where !(line.trimmingWhitespace().isEmpty && out.last?.trimmingWhitespace().isEmpty == true) {
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    /// The sentence's letters and digits, lowercased.
    static func normalized(_ sentence: String) -> String {
        String(String.UnicodeScalarView(sentence.unicodeScalars.filter(\.isAlphanumericFast))).lowercased()
    }
}
