/// The estimator's pass over UTF-8 bytes, in hundredths of a token, shaped after cl100k_base's
/// pre-tokenizer: words, digit groups of three, symbol runs and whitespace runs are its pieces.
///
/// The costs below were fitted on the Debian corpus with `scripts/measure_estimator.py`:
/// - an ASCII word is cut at case changes (`XMLHttpRequest` is XML, Http, Request); a lowercase
///   piece costs 1 up to 3 letters, a little more up to 6 and a tenth more a letter after; a
///   capitalized one costs more (names are rarer words), an all-caps one 0.6 + 0.24 a letter;
/// - a digit run costs one token per three digits;
/// - a symbol run costs 1, plus a half for each further symbol up to six, a quarter after;
/// - a whitespace run costs 1 where it holds line breaks, 1 more for two or more spaces after them,
///   and a space before digits is a token of its own (the tokenizer joins a space only to a word);
/// - any other scalar costs what the tokenizer charges it alone (``ScalarCosts``), except the
///   letters of Cyrillic, which merge into words: half a token each. Control characters (PDF
///   music and symbol fonts give them) cost one each.
struct TokenCounter {
    /// Hundredths of a token per CJK character, or nil for the tokenizer's own per-character cost.
    let cjkRate: Int?
    private(set) var total = 0
    private var spaces = 0, newlines = 0, inSpace = false
    private var letters = 0, allUpper = true, firstUpper = false, previousUpper = false
    private var digits = 0, symbols = 0

    init(cjkRate: Int?) { self.cjkRate = cjkRate }

    /// Counts `bytes`, which should be whole UTF-8; a stray byte counts as a symbol.
    mutating func count(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                switch b {
                case 0x61...0x7A:
                    letter(upper: false)
                    // Most text is lowercase runs; after the first letter, each one only lengthens the piece.
                    var j = i
                    while j < n, bytes[j] &- 0x61 < 26 { j += 1 }
                    letters += j - i
                    i = j
                case 0x41...0x5A: letter(upper: true)
                case 0x30...0x39:
                    closeWord()
                    closeSymbols()
                    closeSpace(absorbed: false)
                    digits += 1
                case 0x20 where !inSpace && i < n && bytes[i] &- 0x61 < 26:
                    // One space before a lowercase word goes into the word's token: start the word.
                    closeRuns()
                    var j = i + 1
                    while j < n, bytes[j] &- 0x61 < 26 { j += 1 }
                    letters = j - i
                    allUpper = false
                    firstUpper = false
                    previousUpper = false
                    i = j
                case 0x20, 0x09, 0x0B, 0x0C:
                    closeRuns()
                    inSpace = true
                    spaces += 1
                case 0x0A, 0x0D:
                    closeRuns()
                    inSpace = true
                    newlines += 1
                    spaces = 0
                case 0x00...0x1F, 0x7F:
                    closeRuns()
                    closeSpace(absorbed: false)
                    total += 100
                default:
                    closeWord()
                    closeDigits()
                    closeSpace(absorbed: true)
                    symbols += 1
                }
                continue
            }
            let s = UTF8Scan.scalar(at: i, in: bytes)
            i += s.length
            // A stray byte (not whole UTF-8) reads as one byte long.
            if s.length == 1 { other(100) } else { scalar(s.value) }
        }
    }

    /// Whether a word, digit or symbol run is open, so text appended next could lengthen it.
    var hasOpenRun: Bool { letters > 0 || digits > 0 || symbols > 0 }

    /// Ends a piece of a longer text: closes its runs and hands back the whitespace run it ends
    /// with, unpriced, since its price depends on what follows it (see ``spaceCost``).
    mutating func endPiece() -> (newlines: Int, spaces: Int)? {
        closeRuns()
        defer {
            inSpace = false
            spaces = 0
            newlines = 0
        }
        return inSpace ? (newlines, spaces) : nil
    }

    /// What a whitespace run costs before a piece that takes one space with it (`absorbed`), or not.
    @inline(__always) static func spaceCost(newlines: Int, spaces: Int, absorbed: Bool) -> Int {
        var cost = newlines > 0 ? 100 + (newlines - 1) / 8 * 100 : 0
        if !absorbed {
            cost += min(spaces, 2) * 100
        } else if spaces >= 2 {
            cost += 100 + (spaces - 2) / 64 * 100
        }
        return cost
    }

    /// Whether text starting with `byte` takes a space before it into its first token: words and
    /// symbols do, digits and control characters do not.
    @inline(__always) static func absorbsSpace(_ byte: UInt8) -> Bool {
        !(byte >= 0x30 && byte <= 0x39) && !(byte < 0x20 || byte == 0x7F)
    }

    /// What whitespace costs where the text ends: a token, whatever it holds.
    static func endCost(_ trailing: (newlines: Int, spaces: Int)?) -> Int { trailing == nil ? 0 : 100 }

    /// Closes every open run as the text ends.
    mutating func finish() {
        total += Self.endCost(endPiece())
    }

    private mutating func scalar(_ v: UInt32) {
        if UTF8Scan.isWhitespace(v) {
            closeRuns()
            inSpace = true
            // NEL and the line and paragraph separators break lines; the rest are spaces.
            if v == 0x85 || v == 0x2028 || v == 0x2029 {
                newlines += 1
                spaces = 0
            } else {
                spaces += 1
            }
            return
        }
        switch v {
        case 0x400...0x4FF:
            other(50)
        default:
            if let cjkRate, Unicode.Scalar(v)?.isCJK == true {
                other(cjkRate)
            } else {
                other(v < 0x10000 ? ScalarCosts.cost(v) * 100 : 300)
            }
        }
    }

    @inline(__always) private mutating func other(_ cost: Int) {
        closeWord()
        closeDigits()
        closeSymbols()
        closeSpace(absorbed: true)
        total += cost
    }

    @inline(__always) private mutating func letter(upper: Bool) {
        closeDigits()
        closeSymbols()
        closeSpace(absorbed: true)
        if letters == 0 {
            letters = 1
            allUpper = upper
            firstUpper = upper
        } else if upper && !previousUpper {
            total += wordCost()
            letters = 1
            allUpper = true
            firstUpper = true
        } else if !upper && previousUpper && allUpper && letters >= 2 {
            // "XMLHttp": the last capital starts the next piece.
            letters -= 1
            total += wordCost()
            letters = 2
            allUpper = false
            firstUpper = true
        } else {
            letters += 1
            if !upper { allUpper = false }
        }
        previousUpper = upper
    }

    private func wordCost() -> Int {
        let l = letters
        if allUpper && l >= 2 { return 60 + 24 * l }
        if firstUpper { return l <= 2 ? 100 : l <= 14 ? 100 + (l - 2) * 16 : l * 20 }
        return l <= 3 ? 100 : l <= 6 ? 100 + (l - 3) * 5 : l <= 14 ? 115 + (l - 6) * 10 : l * 100 / 6
    }

    @inline(__always) private mutating func closeRuns() {
        closeWord()
        closeDigits()
        closeSymbols()
    }

    @inline(__always) private mutating func closeWord() {
        if letters > 0 {
            total += wordCost()
            letters = 0
            previousUpper = false
        }
    }

    @inline(__always) private mutating func closeDigits() {
        if digits > 0 {
            total += (digits + 2) / 3 * 100
            digits = 0
        }
    }

    @inline(__always) private mutating func closeSymbols() {
        if symbols > 0 {
            total += symbols <= 6 ? 100 + (symbols - 1) * 50 : 350 + (symbols - 6) * 25
            symbols = 0
        }
    }

    /// Prices a whitespace run once the next piece is known: a word or a symbol takes one space with it, a digit or a control character none.
    @inline(__always) private mutating func closeSpace(absorbed: Bool) {
        guard inSpace else { return }
        total += Self.spaceCost(newlines: newlines, spaces: spaces, absorbed: absorbed)
        inSpace = false
        spaces = 0
        newlines = 0
    }
}
