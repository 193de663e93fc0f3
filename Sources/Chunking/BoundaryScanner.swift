/// Finds cut points of one boundary strength in a range of text.
enum BoundaryScanner {
    static let cjkTerminators: Set<Unicode.Scalar> = ["。", "！", "？", "；", "…"]
    static let latinTerminators: Set<Unicode.Scalar> = [".", "!", "?"]
    static let closers: Set<Unicode.Scalar> = ["\"", "'", ")", "]", "”", "’", "」", "』", "）", "》", "〉"]

    /// The indices where a piece may start after a boundary of `level` inside `range`.
    static func cuts(in text: String, _ range: Range<String.Index>, level: Boundary) -> [String.Index] {
        let scalars = text.unicodeScalars
        var cuts: [String.Index] = []
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let s = scalars[i]
            switch level {
            case .paragraph:
                if s == "\n", let after = blankLineEnd(scalars, from: scalars.index(after: i), end: end) {
                    if after < end { cuts.append(after) }
                    i = after
                    continue
                }
            case .sentence:
                let isCJK = cjkTerminators.contains(s)
                if isCJK || latinTerminators.contains(s) {
                    var j = scalars.index(after: i)
                    while j < end, latinTerminators.contains(scalars[j]) || cjkTerminators.contains(scalars[j]) || closers.contains(scalars[j]) {
                        j = scalars.index(after: j)
                    }
                    let spaced = j < end && scalars[j].properties.isWhitespace
                    if isCJK || spaced {
                        while j < end, scalars[j].properties.isWhitespace { j = scalars.index(after: j) }
                        if j < end { cuts.append(j) }
                    }
                    i = j
                    continue
                }
            case .whitespace:
                if s.properties.isWhitespace {
                    var j = scalars.index(after: i)
                    while j < end, scalars[j].properties.isWhitespace { j = scalars.index(after: j) }
                    if j < end { cuts.append(j) }
                    i = j
                    continue
                }
            case .hard, .section:
                return cuts
            }
            i = scalars.index(after: i)
        }
        return cuts
    }

    /// Where the whitespace after a newline ends, if it holds a second newline (a blank line).
    private static func blankLineEnd(_ scalars: String.UnicodeScalarView, from start: String.Index, end: String.Index) -> String.Index? {
        var j = start
        var blank = false
        while j < end, scalars[j].properties.isWhitespace {
            if scalars[j] == "\n" { blank = true }
            j = scalars.index(after: j)
        }
        return blank ? j : nil
    }
}
