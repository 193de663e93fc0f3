#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds cut points of one boundary strength in a range of UTF-8 text.
enum BoundaryScanner {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// `。！？；…`
    @inline(__always) static func isCJKTerminator(_ v: UInt32) -> Bool {
        v == 0x3002 || v == 0xFF01 || v == 0xFF1F || v == 0xFF1B || v == 0x2026
    }

    /// `.!?`
    @inline(__always) static func isLatinTerminator(_ v: UInt32) -> Bool { v == 0x2E || v == 0x21 || v == 0x3F }

    /// Closing quotes and brackets that may follow a sentence end: `"')]”’」』）》〉`
    @inline(__always) static func isCloser(_ v: UInt32) -> Bool {
        switch v {
        case 0x22, 0x27, 0x29, 0x5D, 0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x300B, 0x3009: true
        default: false
        }
    }

    /// The byte offsets where a piece may start after a boundary of `level` inside `range`.
    static func cuts(in text: Bytes, _ range: Range<Int>, level: Boundary) -> [Int] {
        var cuts: [Int] = []
        var i = range.lowerBound
        let end = range.upperBound
        switch level {
        case .paragraph:
            guard let base = text.baseAddress else { break }
            while i < end {
                // Only a newline can start a blank line, and newlines are ASCII: memchr finds them.
                guard let found = memchr(base + i, 0x0A, end - i) else { break }
                i = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                var j = i + 1
                var blank = false
                while j < end {
                    let n = UTF8Scan.whitespace(at: j, in: text)
                    if n == 0 { break }
                    if text[j] == 0x0A { blank = true }
                    j += n
                }
                if blank, j < end { cuts.append(j) }
                i = j
            }
        case .sentence:
            while i < end {
                let b = text[i]
                // Terminators are `.!?` or start with 0xE2, 0xE3 or 0xEF.
                guard b == 0x2E || b == 0x21 || b == 0x3F || b == 0xE2 || b == 0xE3 || b == 0xEF else {
                    i += 1
                    continue
                }
                let s = UTF8Scan.scalar(at: i, in: text)
                let cjk = isCJKTerminator(s.value)
                guard cjk || isLatinTerminator(s.value) else {
                    i += s.length
                    continue
                }
                var j = i + s.length
                while j < end {
                    let t = UTF8Scan.scalar(at: j, in: text)
                    guard isLatinTerminator(t.value) || isCJKTerminator(t.value) || isCloser(t.value) else { break }
                    j += t.length
                }
                let spaced = j < end && UTF8Scan.whitespace(at: j, in: text) > 0
                if cjk || spaced {
                    j = UTF8Scan.skipWhitespace(from: j, to: end, in: text)
                    if j < end { cuts.append(j) }
                }
                i = j
            }
        case .whitespace:
            while i < end {
                let n = UTF8Scan.whitespace(at: i, in: text)
                guard n > 0 else {
                    i += 1
                    continue
                }
                let j = UTF8Scan.skipWhitespace(from: i + n, to: end, in: text)
                if j < end { cuts.append(j) }
                i = j
            }
        case .hard, .section:
            break
        }
        return cuts
    }

    /// Whether the text in `range` ends with a sentence mark, optionally inside closing quotes or brackets.
    static func endsSentence(_ text: Bytes, _ range: Range<Int>) -> Bool {
        var upper = range.upperBound
        while upper > range.lowerBound {
            let s = UTF8Scan.start(before: upper, in: text, from: range.lowerBound)
            let v = UTF8Scan.scalar(at: s, in: text).value
            if !isCloser(v) { return isCJKTerminator(v) || isLatinTerminator(v) }
            upper = s
        }
        return false
    }

    /// The cuts of `level` in a string's range, as string indices.
    static func cuts(in text: String, _ range: Range<String.Index>, level: Boundary) -> [String.Index] {
        var text = text
        let utf8 = text.utf8
        let lower = utf8.distance(from: utf8.startIndex, to: range.lowerBound)
        let upper = utf8.distance(from: utf8.startIndex, to: range.upperBound)
        let offsets = text.withUTF8 { cuts(in: $0, lower..<upper, level: level) }
        return offsets.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }
}
