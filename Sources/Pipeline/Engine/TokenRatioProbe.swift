import ChatAPI
import Chunking
import Foundation
import Summarization

/// Measures `token_ratio: auto`: the server counts fixed texts with the model's tokenizer, and
/// the highest ratio to the estimate, with a margin, becomes the run's.
///
/// The texts are fixed so the same server always gives the same ratio, hence the same chunks and
/// call keys when a run is repeated. They cover prose, figures and Chinese, where vocabularies
/// differ most (a small llama vocabulary spells digits and CJK characters byte by byte).
enum TokenRatioProbe {
    static let samples = [
        """
        The lighthouse keeper climbed the stairs each evening before dusk, trimmed the wick, and wrote \
        the weather in a ledger that had outlived three keepers before him. When the storm of 1887 took \
        the jetty, he rowed the supply boat himself, and the inspectors who came in spring found the \
        lamp had never once gone dark. "It is a small thing," he told them, "to keep a light."
        """,
        """
        Section 4.2 (Revised 2024-03-18): Installed capacity rose from 1,284.5 MW to 2,097.3 MW (+63.3%); \
        median payback fell to 7.4 years. See Table 12, rows A–F, and Appendix C (pp. 41–47). \
        Config: max_tokens=512, timeout=300s, retries={max_attempts: 6}; path /usr/share/doc/README.gz; \
        IDs 0x7F3A, 4417-2209-88, v3.12.1 -> v3.14.0; e-mail ops@example.org before 09:30 UTC.
        """,
        """
        运河边的小书店开了三十年，老板每天清晨六点开门，先把昨夜的报纸叠好，再给窗台上的茶花浇水。\
        一九九八年那场大水淹了半条街，书店的旧书泡坏了四百多册，他一本一本晾干，补好书脊，重新标价。\
        街坊们说，这家店卖的不只是书，还有一种慢下来的日子。
        """
    ]

    /// What the estimate is multiplied by beyond the highest ratio measured, for texts the
    /// samples do not resemble.
    static let margin = 1.1

    /// The ratio the server's counts give, or nil when it has no way to count: for Latin text (and
    /// every script but CJK) the highest ratio to the estimate, at least 1; for CJK, the tokens per
    /// character apart, since vocabularies differ most there (Kimi packs 1.5–2 Chinese characters
    /// into a token where the estimate charges cl100k's 1–3 tokens; a small llama vocabulary spends
    /// 3 bytes' worth).
    static func measure(_ client: ChatClient, model: String, estimator: TokenEstimator) async throws
        -> MeasuredTokenRatio?
    {
        guard let counts = try await client.countTokens(samples, model: model), let source = counts.first?.endpoint
        else { return nil }
        var highest = 1.0
        var cjk: Double?
        for (text, count) in zip(samples, counts) {
            let scalars = text.unicodeScalars
            let cjkCharacters = scalars.filter(\.isCJK).count
            if cjkCharacters * 2 > scalars.count {
                // The message framing is counted in, which errs on the safe side.
                cjk = Self.rounded(Double(count.tokens) / Double(cjkCharacters) * margin)
            } else {
                let framing = count.includesFraming ? LLMSummarizer.messageOverhead : 0
                highest = max(highest, Double(count.tokens) / Double(estimator.estimate(text) + framing))
            }
        }
        return MeasuredTokenRatio(
            ratio: max(1, Self.rounded(highest * margin)), cjkPerCharacter: cjk, source: source, counted: true)
    }

    /// Rounded up to hundredths, so a ratio reads the same in the log, the store and the fingerprint.
    static func rounded(_ value: Double) -> Double {
        (value * 100).rounded(.up) / 100
    }
}
