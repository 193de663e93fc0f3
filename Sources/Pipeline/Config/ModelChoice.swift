/// What a pipeline's `model:` asks for: one model by name, or `auto`, which picks Moonshot's
/// smallest v1 model whose window holds each call.
public enum ModelChoice: Sendable, Hashable {
    case auto
    case named(String)

    /// The word `model:` takes for ``auto``.
    static let autoName = "auto"

    init(_ model: String) {
        self = model == Self.autoName ? .auto : .named(model)
    }
}

extension PipelineConfig.LLM {
    /// The pipeline's model as a choice; the one place the word `auto` is read.
    public var choice: ModelChoice { ModelChoice(model) }
}
