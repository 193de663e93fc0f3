/// Scalar-level reading of UTF-8 bytes, for the chunker's scans: no `Character`, no allocation.
enum UTF8Scan {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The scalar starting at `i` and its length in bytes; a stray byte reads as itself, one byte long.
    @inline(__always) static func scalar(at i: Int, in bytes: Bytes) -> (value: UInt32, length: Int) {
        let b = bytes[i]
        if b < 0x80 { return (UInt32(b), 1) }
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard length > 1, i + length <= bytes.count else { return (UInt32(b), 1) }
        var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return (value, length)
    }

    /// Where the scalar ending just before `i` starts.
    @inline(__always) static func start(before i: Int, in bytes: Bytes, from lower: Int) -> Int {
        var j = i - 1
        while j > lower, bytes[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// Unicode's White_Space property.
    @inline(__always) static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// The length of the whitespace scalar at `i`, or 0 when it is not whitespace.
    @inline(__always) static func whitespace(at i: Int, in bytes: Bytes) -> Int {
        let b = bytes[i]
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : 0 }
        guard b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3 else { return 0 }
        let s = scalar(at: i, in: bytes)
        return isWhitespace(s.value) ? s.length : 0
    }

    /// The end of the whitespace run starting at `i`, at most `end`.
    @inline(__always) static func skipWhitespace(from i: Int, to end: Int, in bytes: Bytes) -> Int {
        var j = i
        while j < end {
            let n = whitespace(at: j, in: bytes)
            if n == 0 { break }
            j += n
        }
        return j
    }

    /// `range` without leading and trailing whitespace.
    static func trimmed(_ range: Range<Int>, in bytes: Bytes) -> Range<Int> {
        let lower = skipWhitespace(from: range.lowerBound, to: range.upperBound, in: bytes)
        var upper = range.upperBound
        while upper > lower {
            let s = start(before: upper, in: bytes, from: lower)
            guard whitespace(at: s, in: bytes) == upper - s else { break }
            upper = s
        }
        return lower..<upper
    }
}
