/// The fake server's own token count: close to a real BPE tokenizer, and not precis's estimator,
/// so tests catch an estimator that under-counts.
public enum FakeTokenizer {
    /// Tokens in `text`: CJK at about 1.7 characters a token, words at one token per ten letters
    /// (at least one), digits in threes, every other symbol one.
    public static func count(_ text: String) -> Int {
        var cjk = 0
        var other = 0
        var letters = 0
        var digits = 0
        func flush() {
            if letters > 0 { other += 1 + (letters - 1) / 10 }
            if digits > 0 { other += (digits + 2) / 3 }
            letters = 0
            digits = 0
        }
        for s in text.unicodeScalars {
            switch s.value {
            case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF:
                flush()
                cjk += 1
            case 0x30...0x39:
                if letters > 0 { flush() }
                digits += 1
            default:
                if s.properties.isAlphabetic {
                    if digits > 0 { flush() }
                    letters += 1
                } else {
                    flush()
                    if !s.properties.isWhitespace { other += 1 }
                }
            }
        }
        flush()
        return (cjk * 6 + 9) / 10 + other
    }
}
