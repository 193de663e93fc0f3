/// The rules a family of models is served under: its window, which sampling fields the platform
/// lets a request set, whether it thinks, how a request names its output limit, whether it takes
/// a reasoning effort, and whether the platform still serves it. Families are data: a request is
/// shaped by looking its model up here, never by testing the model's name where it is built.
///
/// From Moonshot's platform docs as of December 2026 (the chat reference, the models overview's
/// "Parameter Comparison", partial mode, the batch guide) and, for K3, the K3 model docs as quoted in
/// ``ModelFamily+Table.swift``: every `kimi-*` model fixes temperature, top_p, n and both penalties,
/// and takes `max_completion_tokens` (`max_tokens` is deprecated there); moonshot-v1 and local
/// servers take sampling fields freely and `max_tokens`.
public struct ModelFamily: Sendable, Hashable {
    /// What a request may say about sampling.
    public enum Sampling: Sendable, Hashable {
        /// temperature, top_p, n and the penalties may be set; `temperature` is the platform's default.
        case free(temperature: Double)
        /// The platform fixes them: a request must leave them out.
        case fixed
    }

    /// Whether answers carry `reasoning_content`, and whether a request can switch it.
    public enum Thinking: Sendable, Hashable {
        /// Never thinks; the `thinking` field must not be sent.
        case never
        /// Always thinks; the `thinking` field must not be sent (a `disabled` one is refused).
        case always
        /// `thinking` switches it; without the field it is `defaultOn`.
        case switchable(defaultOn: Bool)
    }

    /// The field a request's output limit goes in.
    public enum LimitField: String, Sendable, Hashable {
        /// `max_completion_tokens`: Kimi's models, where `max_tokens` is deprecated (and a wrong
        /// field is ignored silently, so the limit would quietly not apply).
        case maxCompletionTokens = "max_completion_tokens"
        /// `max_tokens`: moonshot-v1 and local servers (llama.cpp ignores `max_completion_tokens`).
        case maxTokens = "max_tokens"
    }

    /// Whether the platform serves the family's ids.
    public enum Lifecycle: Sendable, Hashable {
        case current
        /// Still answered, but scheduled to stop; `successor` is what to move to.
        case deprecated(successor: String)
        /// No longer served: the platform answers 404 `resource_not_found_error`.
        case retired(successor: String)

        /// The model to move to, for a deprecated or retired family.
        public var successor: String? {
            switch self {
            case .current: nil
            case .deprecated(let s), .retired(let s): s
            }
        }
    }

    public var name: String
    /// Prompt and completion tokens together, when the server's `/models` does not say.
    public var window: Int?
    public var sampling: Sampling
    public var thinking: Thinking
    /// Whether the platform caches repeated prompt prefixes on its own and bills them at the
    /// cache-hit price (the K2 and K3 models do; moonshot-v1's cache is an explicit API precis does not use).
    public var cachesPrefixes: Bool
    public var limitField: LimitField
    /// The `reasoning_effort` values the family takes; empty: the field must not be sent.
    public var efforts: [ReasoningEffort]
    /// What the platform applies when a request sends no limit.
    public var defaultLimit: Int
    /// Whether a last assistant message with `"partial": true` is continued (Moonshot's partial mode).
    public var partialMode: Bool
    /// Whether Moonshot's Batch API serves the family.
    public var batchable: Bool
    public var lifecycle: Lifecycle
    /// Whether the family's ids belong to Moonshot's platform, which lists every id it serves in
    /// `/models`; a local server's ids are whatever it was started with.
    public var onPlatform: Bool

    public init(
        name: String, window: Int?, sampling: Sampling, thinking: Thinking, cachesPrefixes: Bool = false,
        limitField: LimitField = .maxTokens, efforts: [ReasoningEffort] = [], defaultLimit: Int = 1024,
        partialMode: Bool = false, batchable: Bool = false, lifecycle: Lifecycle = .current, onPlatform: Bool = false
    ) {
        self.name = name
        self.window = window
        self.sampling = sampling
        self.thinking = thinking
        self.cachesPrefixes = cachesPrefixes
        self.limitField = limitField
        self.efforts = efforts
        self.defaultLimit = defaultLimit
        self.partialMode = partialMode
        self.batchable = batchable
        self.lifecycle = lifecycle
        self.onPlatform = onPlatform
    }

    /// Whether a call thinks under `requested` (nil: the model's default).
    public func thinks(_ requested: Bool?) -> Bool {
        switch thinking {
        case .never: false
        case .always: true
        case .switchable(let defaultOn): requested ?? defaultOn
        }
    }

    /// The `thinking` field a request carries for `requested`: only for models that take it, and
    /// only when the user asked for something.
    public func thinkingField(_ requested: Bool?) -> Bool? {
        if case .switchable = thinking { return requested }
        return nil
    }

    /// The temperature a request sends: the wanted one where the family lets it be set, else none.
    public func temperature(_ wanted: Double) -> Double? {
        if case .free = sampling { return wanted }
        return nil
    }

    /// The effort a request sends: the wanted one where the family takes it, else none.
    public func effort(_ wanted: ReasoningEffort?) -> ReasoningEffort? {
        guard let wanted, efforts.contains(wanted) else { return nil }
        return wanted
    }

    /// The family of `model`: the table's, else for an unknown `kimi-*` id the safe platform rules
    /// (fixed sampling, `max_completion_tokens`, may reason), else a local server's.
    public static func of(_ model: String) -> ModelFamily {
        for (pattern, family) in table {
            if pattern.hasSuffix("*") ? model.hasPrefix(pattern.dropLast()) : model == pattern { return family }
        }
        return model.hasPrefix("kimi-") ? unknownKimi : other
    }
}

/// `reasoning_effort`: how long a K3 model reasons before it answers (`max` when a request sends none).
public enum ReasoningEffort: String, Sendable, Hashable, Codable, CaseIterable {
    case low, high, max
}
