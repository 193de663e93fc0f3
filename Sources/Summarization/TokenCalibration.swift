import Chunking
import Synchronization

/// Keeps the token estimator honest: when a server counts more prompt tokens than estimated,
/// the estimator's ratio rises for every later chunk and request, so none is rejected for length.
public final class TokenCalibration: Sendable {
    private let base: TokenEstimator
    private let factor: Mutex<Double>

    /// - Parameter ratio: what the model's tokenizer counts per token `base` estimates, when it is
    ///   known before the first call (a local model's small vocabulary); never below 1.
    public init(base: TokenEstimator = TokenEstimator(), ratio: Double = 1) {
        self.base = base
        factor = Mutex(max(1, ratio))
    }

    /// The estimator with the learned ratio applied.
    public var estimator: TokenEstimator {
        var estimator = base
        estimator.safety *= factor.withLock { $0 }
        return estimator
    }

    /// The ratio learned so far; 1 until the server has counted more than the estimate.
    public var ratio: Double { factor.withLock { $0 } }

    /// Records a call's estimated and actual prompt tokens; only under-counts move the ratio.
    public func observe(estimated: Int, actual: Int) {
        guard estimated > 0, actual > estimated else { return }
        let needed = Double(actual) / Double(estimated) * 1.05
        factor.withLock { $0 = max($0, $0 * needed) }
    }
}
