/// Splits sections into chunks that each fit a token budget, cutting at the strongest boundary that fits.
///
/// Text too large for the budget is split recursively: paragraphs, then sentences, then whitespace,
/// then a hard cut between characters. The pieces are packed greedily in order; when the next piece
/// does not fit, the chunk ends at the strongest boundary in its second half, so chunks neither
/// break sentences needlessly nor shrink to slivers.
public struct Chunker: Sendable {
    /// The most tokens a chunk may hold.
    public var budget: Int
    /// The estimator the budget is counted with.
    public var estimator: TokenEstimator

    /// Creates a chunker; a budget below 16 tokens is raised to 16.
    public init(budget: Int, estimator: TokenEstimator = TokenEstimator()) {
        self.budget = max(16, budget)
        self.estimator = estimator
    }

    struct Piece {
        var section: Int
        /// UTF-8 offsets into the section's text.
        var range: Range<Int>
        /// The estimator's count of the piece, so that a chunk's count is the sum of its pieces'.
        var count: TokenEstimator.Piece
        var before: Boundary
        /// Whether the piece takes a space before it into its first token.
        var absorbsSpace: Bool
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The chunks of `sections`, in order; whitespace-only text yields no chunk.
    ///
    /// When the document has chapters (the first entry of the heading paths) of a quarter chunk or
    /// more on average, no chunk spans two of them and each chunk names its chapter, so the tree can
    /// summarize chapter by chapter. Smaller chapters are packed together as any sections are.
    public func chunks(of sections: [Section]) -> [Chunk] {
        // The scans run over UTF-8 bytes; one copy of each section keeps them in one buffer.
        let texts = sections.map { ContiguousArray($0.text.utf8) }
        var pieces: [Piece] = []
        for (i, text) in texts.enumerated() {
            let start = pieces.count
            text.withUnsafeBufferPointer { bytes in
                // Chunks are trimmed, so leading whitespace is never counted.
                let first = UTF8Scan.skipWhitespace(from: 0, to: bytes.count, in: bytes)
                if first < bytes.count {
                    split(bytes, first..<bytes.count, section: i, level: .paragraph, into: &pieces)
                }
            }
            if pieces.count > start { pieces[start].before = .section }
        }
        return pack(
            pieces, sections: sections, texts: texts,
            byChapter: Self.hasChapters(pieces, sections: sections, budget: budget))
    }

    /// Whether the document has two or more chapters averaging a quarter of a budget or more.
    static func hasChapters(_ pieces: [Piece], sections: [Section], budget: Int) -> Bool {
        var chapters = 0
        var last: String?? = .none
        var hundredths = 0
        for piece in pieces {
            hundredths += piece.count.hundredths
            let chapter = sections[piece.section].headingPath.first
            if last == .none || last! != chapter {
                chapters += 1
                last = .some(chapter)
            }
        }
        return chapters >= 2 && hundredths * 4 >= budget * 100 * chapters
    }

    /// The chunks of one plain text.
    public func chunks(of text: String) -> [Chunk] {
        chunks(of: [Section(text: text)])
    }

    private func split(_ text: Bytes, _ range: Range<Int>, section: Int, level: Boundary, into out: inout [Piece]) {
        if let count = estimator.measure(utf8: Bytes(rebasing: text[range]), limit: budget) {
            out.append(
                Piece(
                    section: section, range: range, count: count, before: level,
                    absorbsSpace: TokenCounter.absorbsSpace(text[range.lowerBound])))
            return
        }
        if level == .hard {
            hardCut(text, range, section: section, into: &out)
            return
        }
        let cuts = BoundaryScanner.cuts(in: text, range, level: level)
        let weaker = Boundary(rawValue: level.rawValue - 1) ?? .hard
        var lower = range.lowerBound
        var first = true
        var afterHeading = false
        for cut in cuts + [range.upperBound] where cut > lower {
            let start = out.count
            split(text, lower..<cut, section: section, level: weaker, into: &out)
            // A heading belongs with the text it introduces, so the cut after it is weak.
            if !first, out.count > start { out[start].before = afterHeading ? .whitespace : level }
            afterHeading = level == .paragraph && Self.isHeadingLike(text, lower..<cut)
            first = false
            lower = cut
        }
    }

    /// A short single line without a sentence end, such as "Chapter 2: The Station".
    static func isHeadingLike(_ text: Bytes, _ range: Range<Int>) -> Bool {
        let line = UTF8Scan.trimmed(range, in: text)
        // 100 characters take at most 400 bytes; most paragraphs are ruled out here.
        guard !line.isEmpty, line.count <= 400 else { return false }
        var scalars = 0
        for i in line {
            if text[i] == 0x0A { return false }
            if text[i] & 0xC0 != 0x80 { scalars += 1 }
        }
        return scalars <= 100 && !BoundaryScanner.endsSentence(text, line)
    }

    /// Cuts a run with no boundary into the longest prefixes that fit, in whole characters.
    private func hardCut(_ text: Bytes, _ range: Range<Int>, section: Int, into out: inout [Piece]) {
        let run = String(decoding: Bytes(rebasing: text[range]), as: UTF8.self)
        // A token spans at most ~16 characters under the estimator, so no fitting prefix is longer.
        let window = budget * 16
        var lower = run.startIndex
        var offset = range.lowerBound
        while lower < run.endIndex {
            var ends: [String.Index] = []
            var i = lower
            while i < run.endIndex, ends.count < window {
                i = run.index(after: i)
                ends.append(i)
            }
            // Binary search for the longest prefix that fits.
            var lo = 0
            var hi = ends.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if estimator.estimate(run[lower..<ends[mid]]) <= budget { lo = mid } else { hi = mid - 1 }
            }
            let upper = ends[lo]
            let length = run.utf8.distance(from: lower, to: upper)
            let range = offset..<offset + length
            let count = estimator.measure(utf8: Bytes(rebasing: text[range]), limit: .max)!
            out.append(
                Piece(
                    section: section, range: range, count: count, before: .hard,
                    absorbsSpace: TokenCounter.absorbsSpace(text[offset])))
            lower = upper
            offset += length
        }
    }

    private func pack(_ pieces: [Piece], sections: [Section], texts: [ContiguousArray<UInt8>], byChapter: Bool)
        -> [Chunk]
    {
        var chunks: [Chunk] = []
        var current: [Piece] = []
        var hundredths = 0
        func emit(_ count: Int) {
            let taken = Array(current[..<count])
            current.removeFirst(count)
            hundredths = Self.hundredths(of: current)
            if let chunk = makeChunk(taken, sections: sections, texts: texts, index: chunks.count, byChapter: byChapter)
            {
                chunks.append(chunk)
            }
        }
        for piece in pieces {
            if byChapter, let last = current.last,
                sections[last.section].headingPath.first != sections[piece.section].headingPath.first
            {
                emit(current.count)
            }
            while let last = current.last,
                estimator.tokens(hundredths: hundredths + Self.link(last, piece) + piece.count.hundredths) > budget
            {
                emit(bestCut(current, next: piece))
            }
            hundredths += current.last.map { Self.link($0, piece) } ?? 0
            hundredths += piece.count.hundredths
            current.append(piece)
        }
        if !current.isEmpty { emit(current.count) }
        return chunks
    }

    /// What joining `piece` after `previous` costs: the whitespace between them, priced by what
    /// follows it, or the blank line that joins two sections.
    static func link(_ previous: Piece, _ piece: Piece) -> Int {
        if previous.section != piece.section {
            return TokenCounter.spaceCost(newlines: 2, spaces: 0, absorbed: piece.absorbsSpace)
        }
        guard let space = previous.count.trailing else { return 0 }
        return TokenCounter.spaceCost(newlines: space.newlines, spaces: space.spaces, absorbed: piece.absorbsSpace)
    }

    /// The count of pieces joined into one chunk, in hundredths of a token.
    static func hundredths(of pieces: some Collection<Piece>) -> Int {
        var total = 0
        var previous: Piece?
        for piece in pieces {
            if let previous { total += link(previous, piece) }
            total += piece.count.hundredths
            previous = piece
        }
        return total
    }

    /// The number of leading pieces to emit: the strongest boundary in the chunk's second half, latest on ties.
    private func bestCut(_ current: [Piece], next: Piece) -> Int {
        var best = current.count
        var bestStrength = next.before
        var before = 0
        for i in 0..<current.count {
            if i > 0, estimator.tokens(hundredths: before) * 2 >= budget, current[i].before > bestStrength {
                best = i
                bestStrength = current[i].before
            }
            if i > 0 { before += Self.link(current[i - 1], current[i]) }
            before += current[i].count.hundredths
        }
        return best
    }

    private func makeChunk(
        _ pieces: [Piece], sections: [Section], texts: [ContiguousArray<UInt8>], index: Int, byChapter: Bool
    ) -> Chunk? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieces.reduce(0) { $0 + $1.range.count } + 2 * pieces.count)
        func append(_ section: Int, _ range: Range<Int>) {
            texts[section].withUnsafeBufferPointer { text in
                let part = UTF8Scan.trimmed(range, in: text)
                guard !part.isEmpty else { return }
                if !bytes.isEmpty {
                    bytes.append(0x0A)
                    bytes.append(0x0A)
                }
                bytes.append(contentsOf: text[part])
            }
        }
        var section = pieces[0].section
        var lower = pieces[0].range.lowerBound
        var upper = lower
        for piece in pieces {
            if piece.section != section {
                append(section, lower..<upper)
                section = piece.section
                lower = piece.range.lowerBound
            }
            upper = piece.range.upperBound
        }
        append(section, lower..<upper)
        guard !bytes.isEmpty else { return nil }
        let pages = pieces.compactMap { sections[$0.section].page }
        return Chunk(
            index: index,
            text: String(decoding: bytes, as: UTF8.self),
            tokens: tokens(of: pieces, bytes: bytes),
            pages: pages.min().flatMap { lo in pages.max().map { lo...$0 } },
            headingPath: sections[pieces[0].section].headingPath,
            chapter: byChapter ? sections[pieces[0].section].headingPath.first ?? "" : nil
        )
    }

    /// A chunk's tokens: the sum of its pieces' counts, which is the count of its text when no piece
    /// but the last ends inside a run (a hard cut); else its text counted again.
    private func tokens(of pieces: [Piece], bytes: [UInt8]) -> Int {
        if pieces.dropLast().allSatisfy({ $0.count.exact }) {
            return estimator.tokens(hundredths: Self.hundredths(of: pieces))
        }
        return bytes.withUnsafeBufferPointer { estimator.estimate(utf8: $0) }
    }
}
