import ChatAPI

/// What a pipeline's server offers.
public enum ModelCatalog {
    /// What the model table says of a listed id: nothing while it is served, else whether it is
    /// deprecated or retired and what to use instead.
    public static func note(for id: String) -> String {
        switch ModelFamily.of(id).lifecycle {
        case .current: ""
        case .deprecated(let successor): "  (deprecated: move to \(successor))"
        case .retired(let successor): "  (retired: use \(successor))"
        }
    }

    /// The ids the model table knows as retired, each with the model to use instead.
    public static var retired: [(model: String, successor: String)] {
        ModelFamily.table.compactMap { pattern, family in
            guard case .retired(let successor) = family.lifecycle else { return nil }
            return (pattern.hasSuffix("*") ? String(pattern.dropLast()) : pattern, successor)
        }
    }

    /// The models of the pipeline's server, windows filled in from the known table where it gives none.
    public static func list(_ config: PipelineConfig, options: RunOptions) async throws -> [ModelInfo] {
        let settings = RunSettings(options: options, config: config)
        guard config.backend == .openAICompatible else {
            throw PipelineError(.usage, "pipeline '\(config.name)' is extractive and uses no model server")
        }
        let client = try Engine.makeClient(settings)
        do {
            let models = try await client.models()
            await client.shutdown()
            return models.sorted { $0.id < $1.id }
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
