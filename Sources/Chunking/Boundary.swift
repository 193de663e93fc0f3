/// How strong a cut point is; the chunker prefers the strongest one that still fits.
public enum Boundary: Int, Sendable, Comparable, CaseIterable {
    /// In the middle of a word or a run of CJK text.
    case hard = 0
    /// After whitespace.
    case whitespace = 1
    /// After a sentence end (`。！？；` or `.!?` followed by whitespace).
    case sentence = 2
    /// After a blank line.
    case paragraph = 3
    /// At a page or heading.
    case section = 4

    public static func < (lhs: Boundary, rhs: Boundary) -> Bool { lhs.rawValue < rhs.rawValue }
}
