/// The rules a family of models is served under: its window, which sampling fields the platform
/// lets a request set, and whether it thinks. Families are data: a request is shaped by looking
/// its model up here, never by testing the model's name where the request is built.
///
/// From Moonshot's models overview ("Parameter Comparison") and "use kimi k2 thinking model":
/// kimi-k2.5 and kimi-k2.6 fix temperature (1.0 thinking, 0.6 not), top_p 0.95, n 1 and both
/// penalties, and take `thinking: {"type": "enabled" | "disabled"}`, on by default; the
/// kimi-k2-thinking models always think; the other kimi-k2 models and moonshot-v1 take sampling
/// fields freely and do not think.
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
        /// Always thinks; the `thinking` field must not be sent.
        case always
        /// `thinking` switches it; without the field it is `defaultOn`.
        case switchable(defaultOn: Bool)
    }

    public var name: String
    /// Prompt and completion tokens together, when the server's `/models` does not say.
    public var window: Int?
    public var sampling: Sampling
    public var thinking: Thinking
    /// Whether the platform caches repeated prompt prefixes on its own and bills them at the
    /// cache-hit price (the K2 models do; moonshot-v1's cache is an explicit API precis does not use).
    public var cachesPrefixes: Bool

    public init(name: String, window: Int?, sampling: Sampling, thinking: Thinking, cachesPrefixes: Bool = false) {
        self.name = name
        self.window = window
        self.sampling = sampling
        self.thinking = thinking
        self.cachesPrefixes = cachesPrefixes
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

    static let moonshotV1 = ModelFamily(name: "moonshot-v1", window: nil, sampling: .free(temperature: 0), thinking: .never)
    static let kimiK2 = ModelFamily(name: "kimi-k2", window: 262_144, sampling: .free(temperature: 0.6), thinking: .never, cachesPrefixes: true)
    static let kimiK2Thinking = ModelFamily(name: "kimi-k2-thinking", window: 262_144, sampling: .free(temperature: 1), thinking: .always,
                                            cachesPrefixes: true)
    static let kimiK25 = ModelFamily(name: "kimi-k2.5", window: 262_144, sampling: .fixed, thinking: .switchable(defaultOn: true),
                                     cachesPrefixes: true)
    /// Any other model: a local server's, or one this table does not know.
    static let other = ModelFamily(name: "other", window: nil, sampling: .free(temperature: 0.3), thinking: .never)

    /// Model ids (or their prefixes, ending in `*`) → family, most specific first.
    public static let table: [(pattern: String, family: ModelFamily)] = [
        ("kimi-k2.5*", kimiK25), ("kimi-k2.6*", kimiK25),
        ("kimi-k2-thinking*", kimiK2Thinking),
        ("kimi-k2*", kimiK2),
        ("kimi-latest", ModelFamily(name: "kimi-latest", window: 131_072, sampling: .free(temperature: 0.3), thinking: .never)),
        ("moonshot-v1-auto", ModelFamily(name: "moonshot-v1", window: 131_072, sampling: .free(temperature: 0), thinking: .never)),
        ("moonshot-v1-8k*", ModelFamily(name: "moonshot-v1", window: 8_192, sampling: .free(temperature: 0), thinking: .never)),
        ("moonshot-v1-32k*", ModelFamily(name: "moonshot-v1", window: 32_768, sampling: .free(temperature: 0), thinking: .never)),
        ("moonshot-v1-128k*", ModelFamily(name: "moonshot-v1", window: 131_072, sampling: .free(temperature: 0), thinking: .never)),
        ("moonshot-v1*", moonshotV1),
    ]

    /// The family of `model`.
    public static func of(_ model: String) -> ModelFamily {
        for (pattern, family) in table {
            if pattern.hasSuffix("*") ? model.hasPrefix(pattern.dropLast()) : model == pattern { return family }
        }
        return other
    }
}
