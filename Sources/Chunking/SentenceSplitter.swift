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
            let cuts = (BoundaryScanner.cuts(in: text, paragraph, level: .sentence) + headingBreaks(text[paragraph]))
                .sorted()
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
    /// Lengths are counted in scalars, and lines are found by their UTF-8 newlines: splitting by
    /// characters was a tenth of an offline run.
    static func headingBreaks(_ paragraph: Substring) -> [String.Index] {
        let scalars = paragraph.unicodeScalars
        var lines: [Range<String.Index>] = []
        var start = scalars.startIndex
        var longest = 0
        var length = 0
        for index in scalars.indices {
            if scalars[index] == "\n" {
                lines.append(start..<index)
                longest = max(longest, length)
                (start, length) = (scalars.index(after: index), 0)
            } else {
                length += 1
            }
        }
        guard !lines.isEmpty else { return [] }
        longest = max(longest, length)
        var breaks: [String.Index] = []
        for line in lines {
            let text = scalars[line]
            guard let last = text.lastIndex(where: { !$0.isWhitespaceFast }),
                let first = text.firstIndex(where: { !$0.isWhitespaceFast })
            else { continue }
            let trimmed = scalars[first...last]
            guard !continuing.contains(trimmed.last!), trimmed.count * 10 < longest * 6 else { continue }
            breaks.append(line.upperBound)
        }
        return breaks
    }

    /// Marks after which a line goes on: sentence ends are cut already, and these join.
    static let continuing: Set<Unicode.Scalar> = [
        ".", "!", "?", ",", ";", ":", "-", "–", "—", "。", "！", "？", "；", "，", "、", "：", "…"
    ]

    /// Whether `scalar` ends a sentence in Chinese (`。！？；…`), where no space need follow.
    public static func isCJKTerminator(_ scalar: Unicode.Scalar) -> Bool {
        BoundaryScanner.isCJKTerminator(scalar.value)
    }

    /// Whether `scalar` ends a sentence in Latin script (`.!?`) when a space or a closer follows.
    public static func isLatinTerminator(_ scalar: Unicode.Scalar) -> Bool {
        BoundaryScanner.isLatinTerminator(scalar.value)
    }

    /// Whether `scalar` is a closing quote or bracket that may follow a sentence end.
    public static func isCloser(_ scalar: Unicode.Scalar) -> Bool { BoundaryScanner.isCloser(scalar.value) }

    /// Whether a sentence ends with a sentence mark (optionally inside closing quotes or brackets).
    public static func isComplete(_ sentence: String) -> Bool {
        guard let last = sentence.unicodeScalars.reversed().first(where: { !BoundaryScanner.isCloser($0.value) }) else {
            return false
        }
        return BoundaryScanner.isCJKTerminator(last.value) || BoundaryScanner.isLatinTerminator(last.value)
    }

    /// Collapses whitespace runs: dropped between two CJK characters, one space elsewhere.
    static func fold(_ text: Substring) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        var previous: Unicode.Scalar?
        for s in text.unicodeScalars {
            if s.isWhitespaceFast {
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
