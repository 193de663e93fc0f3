extension ModelFamily {
    /// K3 (July 2026) and K3.1 Pro (October 2026): a 1,048,576-token window; always reasons; a
    /// top-level `reasoning_effort` of low, high or max (max when none is sent); no `thinking`
    /// field; `max_completion_tokens`, 131,072 by default. Not served by the Batch API.
    static let kimiK3 = ModelFamily(
        name: "kimi-k3", window: 1_048_576, sampling: .fixed, thinking: .always, cachesPrefixes: true,
        limitField: .maxCompletionTokens, efforts: ReasoningEffort.allCases, defaultLimit: 131_072, partialMode: true,
        onPlatform: true)
    /// K2.7's code models: 262,144 tokens; thinking cannot be switched off.
    static let kimiK27Code = ModelFamily(
        name: "kimi-k2.7-code", window: 262_144, sampling: .fixed, thinking: .always, cachesPrefixes: true,
        limitField: .maxCompletionTokens, defaultLimit: 32_768, partialMode: true, batchable: true, onPlatform: true)
    /// K2.6: 262,144 tokens; `thinking: {"type": "enabled" | "disabled"}`, on by default.
    static let kimiK26 = ModelFamily(
        name: "kimi-k2.6", window: 262_144, sampling: .fixed, thinking: .switchable(defaultOn: true),
        cachesPrefixes: true,
        limitField: .maxCompletionTokens, defaultLimit: 32_768, partialMode: true, batchable: true, onPlatform: true)
    static func retiredK2(_ name: String, thinking: Thinking) -> ModelFamily {
        ModelFamily(
            name: name, window: 262_144, sampling: .fixed, thinking: thinking, cachesPrefixes: true,
            limitField: .maxCompletionTokens, partialMode: true, lifecycle: .retired(successor: "kimi-k2.6"),
            onPlatform: true)
    }
    static func moonshotV1(window: Int?) -> ModelFamily {
        ModelFamily(
            name: "moonshot-v1", window: window, sampling: .free(temperature: 0), thinking: .never, partialMode: true,
            onPlatform: true)
    }
    /// A `kimi-*` id this table does not know: the rules every Kimi model shares, so a new model is
    /// sent no sampling field it would refuse, and given room to reason in case it does.
    static let unknownKimi = ModelFamily(
        name: "kimi", window: nil, sampling: .fixed, thinking: .always, cachesPrefixes: true,
        limitField: .maxCompletionTokens, defaultLimit: 32_768, partialMode: true, onPlatform: true)
    /// Any other model: a local server's (llama.cpp, vLLM, Ollama), which takes `max_tokens`.
    static let other = ModelFamily(name: "other", window: nil, sampling: .free(temperature: 0.3), thinking: .never)

    /// Model ids (or their prefixes, ending in `*`) → family, most specific first.
    ///
    /// Retired: kimi-k2.5 (stopped being served on 2026-08-31) and the K2 previews, kimi-k2-thinking
    /// and kimi-latest, which Moonshot's platform answers with 404 `resource_not_found_error`.
    public static let table: [(pattern: String, family: ModelFamily)] = [
        ("kimi-k3*", kimiK3),
        ("kimi-k2.7-code*", kimiK27Code),
        ("kimi-k2.6*", kimiK26),
        ("kimi-k2.5*", retiredK2("kimi-k2.5", thinking: .switchable(defaultOn: true))),
        ("kimi-k2-thinking*", retiredK2("kimi-k2-thinking", thinking: .always)),
        ("kimi-k2*", retiredK2("kimi-k2", thinking: .never)),
        ("kimi-latest", retiredK2("kimi-latest", thinking: .never)),
        ("moonshot-v1-auto", moonshotV1(window: 131_072)),
        ("moonshot-v1-8k*", moonshotV1(window: 8_192)),
        ("moonshot-v1-32k*", moonshotV1(window: 32_768)),
        ("moonshot-v1-128k*", moonshotV1(window: 131_072)),
        ("moonshot-v1*", moonshotV1(window: nil))
    ]

    /// Why `model` cannot be used, naming what to use instead, or nil while it is served.
    public static func refusal(of model: String) -> String? {
        guard case .retired(let successor) = of(model).lifecycle else { return nil }
        return
            "\(model) is retired: Moonshot no longer serves it; use \(successor) (precis models lists what the server offers)"
    }
}
