/// Splits text into sentences at paragraph breaks and sentence ends (`。！？；` and `.!?` before whitespace).
public enum SentenceSplitter {
    /// The sentences of `text`, each trimmed, with inner line breaks folded
    /// (to nothing between CJK characters, as wrapped Chinese lines need, else to one space).
    public static func sentences(in text: String) -> [String] {
        var out: [String] = []
        let whole = text.startIndex..<text.endIndex
        var paragraphStart = whole.lowerBound
        for paragraphEnd in BoundaryScanner.cuts(in: text, whole, level: .paragraph) + [whole.upperBound] {
            var lower = paragraphStart
            let paragraph = paragraphStart..<paragraphEnd
            let cuts = (BoundaryScanner.cuts(in: text, paragraph, level: .sentence) + headingBreaks(text[paragraph])).sorted()
            for cut in cuts + [paragraphEnd] where cut > lower {
                let sentence = fold(text[lower..<cut])
                if !sentence.isEmpty { out.append(sentence) }
                lower = cut
            }
            paragraphStart = paragraphEnd
        }
        return out
    }

    /// Line ends after heading-like lines: a line (not the paragraph's last) that ends without
    /// punctuation and is under 60% of the paragraph's longest line. Wrapped PDF lines run to the
    /// margin, so they are not cut; a title above its first paragraph is.
    static func headingBreaks(_ paragraph: Substring) -> [String.Index] {
        let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return [] }
        let longest = lines.map(\.count).max() ?? 0
        var breaks: [String.Index] = []
        for line in lines.dropLast() {
            let trimmed = line.trimmingWhitespace()
            guard let last = trimmed.unicodeScalars.last, !trimmed.isEmpty,
                  !continuing.contains(last), trimmed.count * 10 < longest * 6 else { continue }
            breaks.append(line.endIndex)
        }
        return breaks
    }

    /// Marks after which a line goes on: sentence ends are cut already, and these join.
    static let continuing: Set<Unicode.Scalar> = [
        ".", "!", "?", ",", ";", ":", "-", "–", "—", "。", "！", "？", "；", "，", "、", "：", "…",
    ]

    /// Whether a sentence ends with a sentence mark (optionally inside closing quotes or brackets).
    public static func isComplete(_ sentence: String) -> Bool {
        guard let last = sentence.unicodeScalars.reversed().first(where: { !BoundaryScanner.isCloser($0.value) }) else { return false }
        return BoundaryScanner.isCJKTerminator(last.value) || BoundaryScanner.isLatinTerminator(last.value)
    }

    /// Collapses whitespace runs: dropped between two CJK characters, one space elsewhere.
    static func fold(_ text: Substring) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        var previous: Unicode.Scalar?
        for s in text.unicodeScalars {
            if s.properties.isWhitespace {
                pendingSpace = previous != nil
                continue
            }
            if pendingSpace, let p = previous, !(p.isCJK && s.isCJK) { scalars.append(" ") }
            pendingSpace = false
            scalars.append(s)
            previous = s
        }
        return String(scalars)
    }
}
