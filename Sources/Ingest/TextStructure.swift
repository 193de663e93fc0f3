/// Finds the title and the heading structure of plain text.
///
/// Headings are Markdown `#` lines, "Chapter 12" / "CHAPTER XII" lines, and Chinese
/// "第十二章" (level 1) or "第3节" (level 2) lines. The text under each heading becomes one part.
enum TextStructure {
    struct Heading {
        var level: Int
        var title: String
    }

    /// The parts of `text`, split at headings, each with its heading path.
    static func parts(of text: String) -> [Document.Part] {
        var path: [(level: Int, title: String)] = []
        return parts(of: text, page: nil, path: &path)
    }

    /// The parts of one page or text, carrying the heading path in from earlier pages and out to later ones.
    ///
    /// A part is a slice of `text` from one heading line to the next, so a page without headings
    /// becomes one part without a copy; lines are found on the UTF-8 bytes.
    static func parts(of text: String, page: Int?, path: inout [(level: Int, title: String)]) -> [Document.Part] {
        var parts: [Document.Part] = []
        var start = text.startIndex
        func flush(upTo end: String.Index, beforeHeading: Bool) {
            // The newline before a heading line belongs to neither part.
            var body = text[start..<end]
            if beforeHeading, body.utf8.last == 0x0A { body = body.dropLast() }
            if !body.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                parts.append(Document.Part(text: String(body), page: page, headingPath: path.map(\.title)))
            }
            start = end
        }
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = Substring(line)
            if let heading = heading(line) {
                flush(upTo: line.startIndex, beforeHeading: true)
                path.removeAll { $0.level >= heading.level }
                path.append((heading.level, heading.title))
            }
        }
        flush(upTo: text.endIndex, beforeHeading: false)
        return parts
    }

    /// The title: the first Markdown heading near the top, else a short first line set off by a blank line.
    static func title(of text: String) -> String? {
        // Only the opening is split: splitting a whole book by characters to read 60 lines was slow.
        var end = text.utf8.startIndex
        var newlines = 0
        while end < text.utf8.endIndex, newlines < 60 {
            if text.utf8[end] == 0x0A { newlines += 1 }
            end = text.utf8.index(after: end)
        }
        let lines = text[..<end].split(separator: "\n", omittingEmptySubsequences: false).prefix(60)
        for line in lines {
            if let heading = heading(line), line.hasPrefix("#") { return heading.title }
        }
        guard let first = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let candidate = lines[first].trimmingWhitespace()
        let next = lines.index(after: first)
        let setOff = next == lines.endIndex || lines[next].allSatisfy(\.isWhitespace)
        let ends = candidate.last.map { ".。!！?？;；,，:：".contains($0) } ?? true
        return setOff && !ends && candidate.count <= 100 ? candidate : nil
    }

    static func heading(_ line: Substring) -> Heading? {
        // Every heading starts with `#`, a digit, `C`/`P` (Chapter, Part) or 第: most lines are out at once.
        guard let lead = line.unicodeScalars.first(where: { !$0.properties.isWhitespace }),
            lead == "#" || lead == "第" || ("0"..."9").contains(lead) || "cCpP".unicodeScalars.contains(lead)
        else { return nil }
        let trimmed = line.trimmingWhitespace()
        guard trimmed.count <= 120 else { return nil }
        if trimmed.hasPrefix("#") {
            let hashes = trimmed.prefix { $0 == "#" }.count
            let rest = trimmed.dropFirst(hashes)
            guard hashes <= 6, rest.first == " " else { return nil }
            let title = rest.trimmingWhitespace()
            return title.isEmpty ? nil : Heading(level: hashes, title: title)
        }
        let lower = trimmed.lowercased()
        for word in ["chapter ", "part "] where lower.hasPrefix(word) {
            let number = lower.dropFirst(word.count).prefix { !$0.isWhitespace && $0 != ":" && $0 != "." }
            if !number.isEmpty,
                number.allSatisfy({ $0.isNumber || "ivxlcdm".contains($0) }) || numberWords.contains(String(number))
            {
                return Heading(level: 1, title: trimmed)
            }
        }
        if let numbered = numbered(trimmed) { return numbered }
        if trimmed.hasPrefix("第") {
            let number = trimmed.dropFirst().prefix { chineseNumerals.contains($0) || $0.isASCII && $0.isNumber }
            let marker = trimmed.dropFirst(1 + number.count).first
            if !number.isEmpty, let marker, "章回部篇卷".contains(marker) { return Heading(level: 1, title: trimmed) }
            if !number.isEmpty, marker == "节" || marker == "節" { return Heading(level: 2, title: trimmed) }
        }
        return nil
    }

    /// "2.1 Title" or "3 Title": up to three numbers of up to three digits, then a capitalized title
    /// with no sentence end; the level is the count of numbers.
    static func numbered(_ line: String) -> Heading? {
        let number = line.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ $0.count <= 3 }), !number.contains(".."),
            line.dropFirst(number.count).first == " "
        else { return nil }
        let title = line.dropFirst(number.count).trimmingWhitespace()
        guard let first = title.first,
            first.isUppercase || first.unicodeScalars.first.map({ $0.value >= 0x4E00 && $0.value <= 0x9FFF }) == true,
            title.count <= 80, let last = title.last, !".。!！?？;；,，:：".contains(last)
        else { return nil }
        return Heading(level: parts.count, title: line)
    }

    static let chineseNumerals: Set<Character> = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "零", "〇", "两"
    ]
    static let numberWords: Set<String> = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"
    ]
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
