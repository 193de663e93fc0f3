/// Prompts a pipeline sets; whatever it leaves out comes from the built-in set of the document's language.
public struct PromptOverrides: Sendable, Hashable, Codable {
    public var system: String?
    public var map: String?
    public var reduce: String?
    public var final: String?
    /// The language these prompts are written for; documents in another get their own built-in
    /// set (a small model answers an English instruction in English, whatever the text). Nil: all.
    public var language: Language?

    public init(
        system: String? = nil, map: String? = nil, reduce: String? = nil, final: String? = nil,
        language: Language? = nil
    ) {
        self.system = system
        self.map = map
        self.reduce = reduce
        self.final = final
        self.language = language
    }

    /// The prompts for `language`: these overrides over its built-in set, where they apply to it.
    public func resolved(for language: Language) -> PromptSet {
        let base = PromptSet.builtIn(language)
        if let own = self.language, own != language { return base }
        return PromptSet(
            system: system ?? base.system, map: map ?? base.map, reduce: reduce ?? base.reduce,
            final: final ?? base.final)
    }
}
