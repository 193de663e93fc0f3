import Chunking

/// What is kept of an answer cut at its limit where the server cannot continue it.
enum CutAnswer {
    /// `text` up to the end of its last complete sentence, so a summary never ends mid-word; the
    /// whole text when that would keep less than a third of it (one long sentence, a list).
    /// Sentence ends are the chunker's own (``SentenceSplitter``).
    static func complete(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var index = scalars.count - 1
        while index >= 0 {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            // A Latin full stop ends a sentence only before a space or a closing mark ("3.5" does not).
            let latinEnd =
                SentenceSplitter.isLatinTerminator(scalar)
                && (next.map { $0.isWhitespaceFast || SentenceSplitter.isCloser($0) } ?? true)
            if SentenceSplitter.isCJKTerminator(scalar) || latinEnd {
                var end = index + 1
                while end < scalars.count, SentenceSplitter.isCloser(scalars[end]) { end += 1 }
                guard end * 3 >= scalars.count else { break }
                var kept = String.UnicodeScalarView()
                kept.append(contentsOf: scalars[..<end])
                return String(kept)
            }
            index -= 1
        }
        return text
    }
}
