import ChatAPI

extension Engine {
    /// Refuses, before any paid call or upload, a model the platform will not serve: a retired id,
    /// an id of Moonshot's platform its free `/models` does not list for this key, or a model batch
    /// mode cannot send. The error names the successor and `precis models`, and exits 2.
    static func checkModel(_ config: PipelineConfig, client: ChatClient?) async throws(PipelineError) {
        let model = config.llm.model
        guard config.llm.choice != .auto else { return }
        let family = ModelFamily.of(model)
        if let refusal = ModelFamily.refusal(of: model) { throw PipelineError(.config, refusal) }
        if config.mode == .batch, family.onPlatform, !family.batchable {
            throw PipelineError(
                .config,
                "\(model) is not served by Moonshot's Batch API (it serves kimi-k2.6 and the K2.7 code models); use --pipeline kimi-batch, or run \(config.name) online without --batch (precis models lists what the server offers)"
            )
        }
        guard family.onPlatform, let client else { return }
        // A refused key or a server that cannot list: the first call meets the same trouble and
        // reports it as a run does; a model it does not find stops the run then.
        guard let listed = await client.listedModels() else { return }
        guard !listed.isEmpty, !listed.contains(where: { $0.id == model }) else { return }
        throw PipelineError(.config, unlisted(model, listed: listed.map(\.id)))
    }

    /// Why `model` cannot be used when the server lists others, with what to use instead.
    static func unlisted(_ model: String, listed: [String]) -> String {
        let successor = ModelFamily.of(model).lifecycle.successor
        let alike = listed.filter { $0.hasPrefix("kimi-") }.sorted()
        var hint =
            successor.map { "use \($0)" } ?? (alike.isEmpty ? "" : "the server offers \(alike.joined(separator: ", "))")
        if !hint.isEmpty { hint += "; " }
        return "the server does not serve \(model) to this key: \(hint)precis models lists what it offers"
    }
}
