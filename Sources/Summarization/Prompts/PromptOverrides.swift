/// Prompts a pipeline sets; whatever it leaves out comes from the built-in set of the document's language.
public struct PromptOverrides: Sendable, Hashable, Codable {
    public var system: String?
    public var map: String?
    public var reduce: String?
    public var final: String?

    public init(system: String? = nil, map: String? = nil, reduce: String? = nil, final: String? = nil) {
        self.system = system
        self.map = map
        self.reduce = reduce
        self.final = final
    }

    /// The prompts for `language`: these overrides over its built-in set.
    public func resolved(for language: Language) -> PromptSet {
        let base = PromptSet.builtIn(language)
        return PromptSet(system: system ?? base.system, map: map ?? base.map, reduce: reduce ?? base.reduce, final: final ?? base.final)
    }
}
