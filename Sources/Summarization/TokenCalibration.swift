import Chunking
import Synchronization

/// Keeps the token estimator honest: when a server counts more prompt tokens than estimated,
/// the estimator's ratio rises for every later chunk and request, so none is rejected for length.
public final class TokenCalibration: Sendable {
    private let base: TokenEstimator
    private let factor: Mutex<Double>
    /// The ratio the run started with, from the server's count or the store, before any answer.
    public let initialRatio: Double

    /// - Parameters:
    ///   - ratio: what the model's tokenizer counts per token `base` estimates, when it is known
    ///     before the first call (a local model's small vocabulary); never below 1.
    ///   - cjkPerCharacter: what it counts per CJK character, when measured apart from other scripts.
    public init(base: TokenEstimator = TokenEstimator(), ratio: Double = 1, cjkPerCharacter: Double? = nil) {
        let ratio = max(1, ratio)
        var base = base
        // The estimate multiplies every cost by safety × the ratio; a measured CJK rate is meant as is.
        if let cjkPerCharacter { base.cjkTokensPerCharacter = cjkPerCharacter / (base.safety * ratio) }
        self.base = base
        initialRatio = ratio
        factor = Mutex(ratio)
    }

    /// The estimator with the ratio the run started with: documents are cut with this one, so
    /// their chunks, and the calls' keys, depend on the inputs and the server's count alone, not on
    /// which answers happened to arrive before a document was opened.
    public var initialEstimator: TokenEstimator {
        var estimator = base
        estimator.safety *= initialRatio
        return estimator
    }

    /// The estimator with the learned ratio applied.
    public var estimator: TokenEstimator { snapshot().estimator }

    /// The estimator and the ratio it applies, read together, for ``observe(estimated:actual:ratio:)``.
    public func snapshot() -> (estimator: TokenEstimator, ratio: Double) {
        let ratio = factor.withLock { $0 }
        var estimator = base
        estimator.safety *= ratio
        return (estimator, ratio)
    }

    /// The ratio learned so far; 1 until the server has counted more than the estimate.
    public var ratio: Double { factor.withLock { $0 } }

    /// Records a call's prompt tokens as estimated with `ratio` and as the server counted them;
    /// only under-counts move the ratio.
    ///
    /// The new ratio is the one that estimate needed, not the current one scaled: calls estimated
    /// together and answered one by one must not compound their correction.
    public func observe(estimated: Int, actual: Int, ratio: Double) {
        guard estimated > 0, actual > estimated else { return }
        let needed = ratio * Double(actual) / Double(estimated) * 1.05
        factor.withLock { $0 = max($0, needed) }
    }
}
