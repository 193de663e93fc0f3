/// Takes out what costs tokens and says nothing: running headers and footers, bare page numbers,
/// words hyphenated across lines, and line breaks inside paragraphs.
///
/// Every rule errs on keeping text: a line is dropped only when it repeats across most pages, or
/// is a page number at a page's edge; lines are joined only inside a paragraph and never when the
/// next line starts a list item, a table row, indented code or a heading.
public enum TextCleaner {
    /// Pages with running headers, footers and page numbers removed, then each page unwrapped.
    public static func clean(pages: [String]) -> [String] {
        let lines = pages.map { $0.split(separator: "\n", omittingEmptySubsequences: false) }
        let running = runningLines(lines)
        return lines.map { page in
            let edges = edgeIndices(page)
            let kept = page.indices.filter { index in
                guard edges.contains(index) else { return true }
                let line = page[index]
                return !isPageNumber(line) && !running.contains(shape(line))
            }
            return unwrap(kept.map { page[$0] })
        }
    }

    /// Plain text with paragraphs unwrapped.
    public static func clean(text: String) -> String {
        unwrap(text.split(separator: "\n", omittingEmptySubsequences: false))
    }

    /// The first and last three non-blank lines of a page, where headers and footers sit.
    static func edgeIndices(_ page: [Substring]) -> Set<Int> {
        let filled = page.indices.filter { page[$0].contains { !$0.isWhitespace } }
        return Set(filled.prefix(3) + filled.suffix(3))
    }

    /// Line shapes (digits folded) at page edges on at least half the pages, and at least three.
    static func runningLines(_ pages: [[Substring]]) -> Set<String> {
        guard pages.count >= 4 else { return [] }
        var counts: [String: Int] = [:]
        for page in pages {
            var seen = Set<String>()
            for index in edgeIndices(page) {
                let key = shape(page[index])
                if key.count >= 3, seen.insert(key).inserted { counts[key, default: 0] += 1 }
            }
        }
        let needed = max(3, (pages.count + 1) / 2)
        return Set(counts.filter { $0.value >= needed }.keys)
    }

    /// A line with its digits folded and spaces collapsed, so "Page 3 of 40" matches "Page 4 of 40".
    static func shape(_ line: Substring) -> String {
        var out = ""
        var space = false
        for character in line.trimmingWhitespace() {
            if character.isWhitespace { space = true; continue }
            if space { out.append(" "); space = false }
            out.append(character.isNumber ? "#" : character)
        }
        return out
    }

    /// "12", "- 12 -", "xii", "Page 12", "12 / 40", "第 12 页".
    static func isPageNumber(_ line: Substring) -> Bool {
        let trimmed = line.trimmingWhitespace().lowercased()
        guard !trimmed.isEmpty, trimmed.count <= 16 else { return false }
        let core = trimmed.filter { !"-–—·•|[]() ".contains($0) }
        if !core.isEmpty, core.allSatisfy(\.isNumber) { return true }
        if !core.isEmpty, core.count <= 6, core.allSatisfy({ "ivxlc".contains($0) }) { return true }
        let words = trimmed.split(separator: " ")
        if words.count == 2, ["page", "p.", "pg."].contains(String(words[0])), words[1].allSatisfy(\.isNumber) { return true }
        if let slash = core.firstIndex(of: "/"), core[..<slash].allSatisfy(\.isNumber), core[core.index(after: slash)...].allSatisfy(\.isNumber),
           slash != core.startIndex { return true }
        if core.hasPrefix("第"), core.hasSuffix("页"), core.dropFirst().dropLast().allSatisfy(\.isNumber), core.count > 2 { return true }
        return false
    }

    /// Joins the lines of each paragraph: with a space in English (a word hyphenated at the break is
    /// mended), with nothing between Chinese characters. Blank lines stay paragraph breaks.
    static func unwrap(_ lines: [Substring]) -> String {
        let width = typicalWidth(lines)
        var out = ""
        out.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        var previous: Substring?
        for line in lines {
            defer { previous = line }
            guard let last = previous else { out += line; continue }
            if joins(last, line, width: width) {
                let tail = last.trimmingTrailingSpaces()
                let head = line.drop { $0 == " " || $0 == "\t" }
                if tail.last == "-", tail.dropLast().last?.isLowercase == true, head.first?.isLowercase == true {
                    out.removeLast(last.count - tail.count + 1)   // the spaces and the hyphen
                } else if let a = tail.last, let b = head.first, isCJK(a) || isCJK(b) {
                    out.removeLast(last.count - tail.count)
                } else {
                    out.removeLast(last.count - tail.count)
                    out += " "
                }
                out += head
            } else {
                out += "\n"
                out += line
            }
        }
        return out
    }

    /// The width wrapped lines reach: the 80th percentile of the lengths of non-blank lines.
    static func typicalWidth(_ lines: [Substring]) -> Int {
        var lengths: [Int] = []
        for line in lines where lengths.count < 4000 && line.contains(where: { !$0.isWhitespace }) { lengths.append(line.count) }
        guard !lengths.isEmpty else { return 0 }
        lengths.sort()
        return lengths[lengths.count * 4 / 5]
    }

    /// Whether `next` continues the paragraph `line` is in.
    static func joins(_ line: Substring, _ next: Substring, width: Int) -> Bool {
        guard let first = next.first(where: { $0 != " " }), line.contains(where: { !$0.isWhitespace }) else { return false }
        if next.hasPrefix("    ") || next.hasPrefix("\t") || line.hasPrefix("    ") || line.hasPrefix("\t") { return false }
        if "-*•·‣◦|#>".contains(first) || line.contains("|") || line.contains("   ") || next.contains("   ") { return false }
        if next.prefix(4).contains(where: { $0 == "." || $0 == ")" || $0 == "、" }) && first.isNumber { return false }
        if TextStructure.heading(line) != nil || TextStructure.heading(next) != nil { return false }
        // A word hyphenated across the break continues, whatever the width.
        let tail = line.trimmingTrailingSpaces()
        if tail.last == "-", tail.dropLast().last?.isLowercase == true, first.isLowercase { return true }
        // A short capitalized line without closing punctuation is a heading, not a paragraph's last line.
        let nextTail = next.trimmingTrailingSpaces()
        if first.isUppercase, nextTail.count * 5 < width * 3, let end = nextTail.last, !".!?;,:)\"'”’。！？；，：）".contains(end) { return false }
        // A line well short of the typical width ends its paragraph (a last line, a title, a verse).
        let cjk = line.last.map(isCJK) ?? false
        return line.count >= (cjk ? 10 : 30) && line.count * 4 >= width * 3
    }

    static func isCJK(_ character: Character) -> Bool {
        guard let v = character.unicodeScalars.first?.value else { return false }
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x3000...0x303F).contains(v) || (0xFF00...0xFFEF).contains(v)
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return self[startIndex..<end]
    }
}
