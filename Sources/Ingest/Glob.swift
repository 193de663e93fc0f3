#if canImport(Glibc)
    import Glibc
#endif

/// A shell-style pattern over relative paths: `*`, `?` and `[…]` within a name, `**` across folders.
///
/// A pattern without a `/` matches a file's name wherever it is (`*.pdf`); one with a `/` matches
/// the whole relative path (`drafts/**`, `2024/*/notes.txt`).
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let segments: [String]
    private let anchored: Bool

    public init(_ pattern: String) {
        let trimmed = pattern.hasPrefix("./") ? String(pattern.dropFirst(2)) : pattern
        self.pattern = trimmed
        anchored = trimmed.contains("/")
        segments = trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    public var description: String { pattern }

    /// Whether the file at `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        if !anchored { return parts.last.map { Self.name(segments.first ?? "", $0) } ?? false }
        return Self.match(segments[...], parts[...])
    }

    /// Whether every file under the folder `path` matches, so the walk need not enter it.
    public func coversFolder(_ path: String) -> Bool {
        guard anchored, segments.last == "**" else { return false }
        return Self.match(segments.dropLast()[...], path.split(separator: "/").map(String.init)[...])
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            return (path.startIndex...path.endIndex).contains { match(pattern.dropFirst(), path[$0...]) }
        }
        guard let name = path.first, Self.name(first, name) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func name(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, FNM_PERIOD) == 0
    }
}
