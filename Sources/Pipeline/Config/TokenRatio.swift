/// How many tokens the model's own tokenizer counts for each token precis estimates.
///
/// The estimator is shaped after cl100k_base and errs high for Kimi and GPT-class vocabularies;
/// small local models (a 512-token llama vocabulary) count two or three times as many, and
/// their servers send no `usage` in streams to learn from. Chunk budgets are multiplied by it.
public enum TokenRatio: Sendable, Hashable, Codable {
    /// Ask the server to count fixed texts before the first chunk is cut; the answer is kept in
    /// the output folder's store, so `precis estimate` plans with it offline.
    case auto
    /// A ratio known beforehand, at least 1.
    case fixed(Double)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let value = c.lenient(Double.self) {
            self = .fixed(value)
        } else if c.lenient(String.self) == "auto" {
            self = .auto
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "token_ratio must be a number from 1 to 10, or auto")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .auto: try c.encode("auto")
        case .fixed(let value): try c.encode(value)
        }
    }

    /// The ratio the pipeline sets; nil for `auto`, which the server gives.
    var fixed: MeasuredTokenRatio? {
        if case .fixed(let value) = self { return MeasuredTokenRatio(ratio: value, source: "the pipeline") }
        return nil
    }

    var isValid: Bool {
        if case .fixed(let value) = self { return (1...10).contains(value) }
        return true
    }
}

/// A ratio a run put in force, and where it came from.
struct MeasuredTokenRatio: Sendable, Hashable {
    /// Model tokens per estimated token, for every script but CJK.
    var ratio: Double
    /// Model tokens per CJK character, when the server counted CJK apart; nil charges CJK as the
    /// estimator does, times `ratio`.
    var cjkPerCharacter: Double? = nil
    /// What gave it: the pipeline, a server endpoint, or the store of an earlier run.
    var source: String
    /// Whether this run's server counted it, so the store keeps it for estimates.
    var counted = false
}

extension SingleValueDecodingContainer {
    /// The value as `type`, or nil when it is of another type, for values that take more than one.
    func lenient<T: Decodable>(_ type: T.Type) -> T? {
        do { return try decode(type) } catch { return nil }
    }
}
