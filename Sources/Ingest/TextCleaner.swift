/// Takes out what costs tokens and says nothing: running headers and footers, bare page numbers,
/// words hyphenated across lines, and line breaks inside paragraphs.
///
/// Every rule errs on keeping text: a line is dropped only when it repeats across most pages, or
/// is a page number at a page's edge; lines are joined only inside a paragraph and never when the
/// next line starts a list item, a table row, indented code or a heading.
public enum TextCleaner {
    /// Pages with running headers, footers and page numbers removed, then each page unwrapped.
    public static func clean(pages: [String]) -> [String] {
        let lines = pages.map(Self.lines)
        // Each page's edge lines with their shapes, worked out once for both passes.
        let edges = lines.map { page in edgeIndices(page).map { (index: $0, shape: shape(page[$0])) } }
        let running = runningLines(edges, pages: lines.count)
        return zip(lines, edges).map { page, edges in
            var dropped = Set<Int>()
            for edge in edges where isPageNumber(page[edge.index]) || running.contains(edge.shape) {
                dropped.insert(edge.index)
            }
            return unwrap(dropped.isEmpty ? page : page.indices.filter { !dropped.contains($0) }.map { page[$0] })
        }
    }

    /// Plain text with paragraphs unwrapped.
    public static func clean(text: String) -> String {
        unwrap(lines(text))
    }

    /// The lines of `text`, split on its UTF-8 bytes (a newline is never part of another character).
    static func lines(_ text: String) -> [Substring] {
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// The first and last three non-blank lines of a page, where headers and footers sit.
    static func edgeIndices(_ page: [Substring]) -> Set<Int> {
        var edges = Set<Int>()
        var found = 0
        for index in page.indices where !page[index].isBlank {
            edges.insert(index)
            found += 1
            if found == 3 { break }
        }
        found = 0
        for index in page.indices.reversed() where !page[index].isBlank {
            edges.insert(index)
            found += 1
            if found == 3 { break }
        }
        return edges
    }

    /// Line shapes (digits folded) at page edges on at least half the pages, and at least three.
    static func runningLines(_ edges: [[(index: Int, shape: String)]], pages: Int) -> Set<String> {
        guard pages >= 4 else { return [] }
        var counts: [String: Int] = [:]
        for page in edges {
            var seen = Set<String>()
            for edge in page where edge.shape.count >= 3 && seen.insert(edge.shape).inserted {
                counts[edge.shape, default: 0] += 1
            }
        }
        let needed = max(3, (pages + 1) / 2)
        return Set(counts.filter { $0.value >= needed }.keys)
    }

    /// A line with its digits folded and spaces collapsed, so "Page 3 of 40" matches "Page 4 of 40".
    static func shape(_ line: Substring) -> String {
        var out = ""
        var space = false
        for character in line.trimmingWhitespace() {
            if character.isWhitespace {
                space = true
                continue
            }
            if space {
                out.append(" ")
                space = false
            }
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
        if words.count == 2, ["page", "p.", "pg."].contains(String(words[0])), words[1].allSatisfy(\.isNumber) {
            return true
        }
        if let slash = core.firstIndex(of: "/"), core[..<slash].allSatisfy(\.isNumber),
            core[core.index(after: slash)...].allSatisfy(\.isNumber),
            slash != core.startIndex
        {
            return true
        }
        if core.hasPrefix("第"), core.hasSuffix("页"), core.dropFirst().dropLast().allSatisfy(\.isNumber), core.count > 2
        {
            return true
        }
        return false
    }

    /// Joins the lines of each paragraph: with a space in English (a word hyphenated at the break is
    /// mended), with nothing between Chinese characters. Blank lines stay paragraph breaks.
    static func unwrap(_ lines: [Substring]) -> String {
        // What the joining rules ask of each line, worked out once: each line is asked as the end
        // of one pair and as the start of the next.
        let facts = lines.map(LineFacts.init)
        let width = typicalWidth(facts)
        var out = ""
        out.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        for index in lines.indices {
            let line = lines[index]
            guard index > 0 else {
                out += line
                continue
            }
            let last = lines[index - 1]
            if joins(last, facts[index - 1], line, facts[index], width: width) {
                let tail = last.trimmingTrailingSpaces()
                let head = line.drop { $0 == " " || $0 == "\t" }
                // Trailing spaces and tabs are one byte and one character each.
                let spaces = last.utf8.count - tail.utf8.count
                if tail.last == "-", tail.dropLast().last?.isLowercase == true, head.first?.isLowercase == true {
                    out.removeLast(spaces + 1)  // the spaces and the hyphen
                } else if let a = tail.last, let b = head.first, isCJK(a) || isCJK(b) {
                    out.removeLast(spaces)
                } else {
                    out.removeLast(spaces)
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

    /// What the joining rules ask of one line.
    struct LineFacts {
        var blank: Bool
        var heading: Bool
        /// Three spaces in a row, and a `|`: a table's or a layout's columns.
        var spaceRun: Bool
        var pipe: Bool
        /// Characters, as people count columns.
        var length: Int

        init(_ line: Substring) {
            blank = line.isBlank
            heading = !blank && TextStructure.heading(line) != nil
            // One pass over the bytes for both.
            var run = 0
            (spaceRun, pipe) = (false, false)
            for byte in line.utf8 {
                run = byte == 0x20 ? run + 1 : 0
                if run == 3 { spaceRun = true }
                if byte == UInt8(ascii: "|") { pipe = true }
            }
            // Characters, counted fast where the line is ASCII (most are).
            length = blank ? 0 : line.utf8.allSatisfy { $0 < 0x80 } ? line.utf8.count : line.count
        }
    }

    /// The width wrapped lines reach: the 80th percentile of the lengths of non-blank lines.
    static func typicalWidth(_ facts: [LineFacts]) -> Int {
        var lengths: [Int] = []
        for line in facts where lengths.count < 4000 && !line.blank { lengths.append(line.length) }
        guard !lengths.isEmpty else { return 0 }
        lengths.sort()
        return lengths[lengths.count * 4 / 5]
    }

    /// Whether `next` continues the paragraph `line` is in.
    ///
    /// Worked on Unicode scalars rather than characters where it can: it runs for every pair of
    /// lines, and no test here needs a grapheme cluster.
    static func joins(_ line: Substring, _ lineFacts: LineFacts, _ next: Substring, _ nextFacts: LineFacts, width: Int)
        -> Bool
    {
        guard !lineFacts.blank, !lineFacts.heading, !nextFacts.heading,
            let first = next.unicodeScalars.first(where: { $0 != " " })
        else { return false }
        if next.hasPrefix("    ") || next.hasPrefix("\t") || line.hasPrefix("    ") || line.hasPrefix("\t") {
            return false
        }
        // A `|` anywhere in the line, or three spaces in a row in either, is a table or columns.
        if listMarks.contains(first) || lineFacts.pipe || lineFacts.spaceRun || nextFacts.spaceRun { return false }
        if first.properties.numericType != nil, next.prefix(4).contains(where: { $0 == "." || $0 == ")" || $0 == "、" })
        {
            return false
        }
        // A word hyphenated across the break continues, whatever the width.
        let tail = line.trimmingTrailingSpaces().unicodeScalars
        if tail.last == "-", tail.dropLast().last?.properties.isLowercase == true, first.properties.isLowercase {
            return true
        }
        // A short capitalized line without closing punctuation is a heading, not a paragraph's last line.
        if first.properties.isUppercase {
            // Widths in characters, as people see them (a Thai vowel mark is no column of its own).
            let nextTail = next.trimmingTrailingSpaces()
            let tailLength = nextFacts.length - (next.utf8.count - nextTail.utf8.count)
            if tailLength * 5 < width * 3, let end = nextTail.unicodeScalars.last, !closers.contains(end) {
                return false
            }
        }
        // A line well short of the typical width ends its paragraph (a last line, a title, a verse).
        let cjk = line.unicodeScalars.last.map { isCJK($0.value) } ?? false
        return lineFacts.length >= (cjk ? 10 : 30) && lineFacts.length * 4 >= width * 3
    }

    /// What starts a list item or a quote.
    static let listMarks = Set("-*•·‣◦|#>".unicodeScalars)
    /// What ends a sentence or a clause.
    static let closers = Set(".!?;,:)\"'”’。！？；，：）".unicodeScalars)

    static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x3000...0x303F).contains(v)
            || (0xFF00...0xFFEF).contains(v)
    }

    static func isCJK(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { isCJK($0.value) } ?? false
    }
}

extension Substring {
    /// Whether the line holds nothing but whitespace.
    var isBlank: Bool {
        unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
