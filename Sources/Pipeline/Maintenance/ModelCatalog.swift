import ChatAPI

/// What a pipeline's server offers.
public enum ModelCatalog {
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
