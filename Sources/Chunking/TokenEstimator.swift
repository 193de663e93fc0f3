/// A conservative token count for mixed CJK and Latin text, computed in one pass without allocating.
///
/// The rules follow cl100k_base's pre-tokenizer piece by piece (``TokenCounter``), and characters
/// outside ASCII cost what cl100k_base charges each alone, from a table generated from its vocabulary
/// (`scripts/make_scalar_costs.py`). Measured with `scripts/measure_estimator.py` on every file of the
/// Debian benchmark corpus (English, Chinese, and a dozen other scripts, TXT and PDF), the raw rules
/// never fall more than a few percent under the real count, and the default `safety` of 1.05 keeps
/// every file at or above it. Moonshot's tokenizer packs 1.5–2 Chinese characters into a token, so
/// for Kimi the estimate errs well on the safe side.
public struct TokenEstimator: Sendable, Hashable {
    /// Tokens charged for each CJK character; nil charges cl100k_base's own cost per character.
    public var cjkTokensPerCharacter: Double?
    /// A multiplier over the whole estimate; raised when a server reports more tokens than estimated.
    public var safety: Double

    /// Creates an estimator with the measured defaults.
    public init(cjkTokensPerCharacter: Double? = nil, safety: Double = 1.05) {
        self.cjkTokensPerCharacter = cjkTokensPerCharacter
        self.safety = safety
    }

    /// The estimated token count of `text`.
    public func estimate(_ text: some StringProtocol) -> Int {
        if let tokens = text.utf8.withContiguousStorageIfAvailable({ estimate(utf8: $0) }) { return tokens }
        var copy = String(text)
        return copy.withUTF8 { estimate(utf8: $0) }
    }

    /// The estimated token count of UTF-8 text.
    public func estimate(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var counter = counter()
        counter.count(bytes)
        counter.finish()
        return tokens(hundredths: counter.total)
    }

    /// The estimated token count of UTF-8 text, or nil as soon as it exceeds `limit`: a long text
    /// is read only as far as the first `limit` tokens.
    public func estimate(utf8 bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Int? {
        guard let piece = measure(utf8: bytes, limit: limit) else { return nil }
        let tokens = tokens(hundredths: piece.hundredths + TokenCounter.endCost(piece.trailing))
        return tokens <= limit ? tokens : nil
    }

    /// A piece of text counted so that pieces can be summed: its own cost in hundredths of a token,
    /// and the whitespace it ends with, priced only once the next piece is known.
    struct Piece {
        var hundredths: Int
        var trailing: (newlines: Int, spaces: Int)?
        /// Whether the text ends in whitespace or a closed run, so text after it cannot change its cost.
        var exact: Bool
    }

    /// Counts `bytes` as a piece, or gives nil as soon as it costs more than `limit` tokens.
    func measure(utf8 bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Piece? {
        var counter = counter()
        var lower = 0
        while lower < bytes.count {
            var upper = min(bytes.count, lower + 4096)
            // Blocks end on a scalar's first byte, so no scalar is split between them.
            while upper < bytes.count, bytes[upper] & 0xC0 == 0x80 { upper += 1 }
            counter.count(UnsafeBufferPointer(rebasing: bytes[lower..<upper]))
            if tokens(hundredths: counter.total) > limit { return nil }
            lower = upper
        }
        let exact = !counter.hasOpenRun
        let trailing = counter.endPiece()
        guard tokens(hundredths: counter.total) <= limit else { return nil }
        return Piece(hundredths: counter.total, trailing: trailing, exact: exact)
    }

    /// Tokens for a count in hundredths, with the safety factor applied.
    func tokens(hundredths: Int) -> Int {
        Int((Double(hundredths) * safety / 100).rounded(.up))
    }

    private func counter() -> TokenCounter {
        TokenCounter(cjkRate: cjkTokensPerCharacter.map { Int(($0 * 100).rounded(.up)) })
    }

    /// The estimated token count of several texts sent together.
    public func estimate(_ texts: [String]) -> Int {
        texts.reduce(0) { $0 + estimate($1) }
    }
}

extension Unicode.Scalar {
    /// Whether the scalar is a CJK ideograph, kana, hangul, or a full-width form or CJK punctuation.
    @inlinable public var isCJK: Bool {
        switch value {
        case 0x2E80...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
            0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }
}
