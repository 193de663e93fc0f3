import Chunking

/// The token estimator fixed for a whole run: precis's estimate scaled by how the model's own
/// tokenizer counts, as the server said before the first chunk was cut or as the store kept it.
///
/// It never changes while the run goes on. Chunks, groups and the calls' keys are then a function
/// of the inputs, the pipeline and that ratio alone, not of which answers happened to arrive
/// before a document was opened; a call the server still finds too long is split by a rule that
/// depends only on the server refusing it.
public struct TokenCalibration: Sendable, Hashable {
    /// What the model's tokenizer counts per token the base estimator estimates; at least 1.
    public let ratio: Double
    /// The base estimator with `ratio` (and any measured CJK rate) applied.
    public let estimator: TokenEstimator

    /// - Parameters:
    ///   - ratio: what the model's tokenizer counts per token `base` estimates; never below 1.
    ///   - cjkPerCharacter: what it counts per CJK character, when measured apart from other scripts.
    public init(base: TokenEstimator = TokenEstimator(), ratio: Double = 1, cjkPerCharacter: Double? = nil) {
        let ratio = max(1, ratio)
        var estimator = base
        // The estimate multiplies every cost by safety × the ratio; a measured CJK rate is meant as is.
        if let cjkPerCharacter { estimator.cjkTokensPerCharacter = cjkPerCharacter / (base.safety * ratio) }
        estimator.safety *= ratio
        self.ratio = ratio
        self.estimator = estimator
    }
}
