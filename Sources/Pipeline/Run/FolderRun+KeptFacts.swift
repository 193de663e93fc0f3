import Checkpoint
import Foundation

extension FolderRun {
    /// What the store already keeps about this run's model on its server, read before the engine
    /// is built so that the token ratio the first run measured is the one every later run, and
    /// every worker of a fleet, cuts with. Nil offline and before any run has kept one.
    /// - Throws: a `.output` error when a store that exists cannot be read (damaged, or emptied).
    func keptFacts(fleet: FleetWorker?) async throws(PipelineError) -> ServerFacts? {
        guard config.backend == .openAICompatible, config.llm.choice != .auto else { return nil }
        do {
            if let fleet { return try await fleet.store.serverFacts(server: settings.baseURL, model: config.llm.model) }
            guard FileManager.default.fileExists(atPath: options.storeURL.path) else { return nil }
            return try await CheckpointStore(url: options.storeURL, create: false).serverFacts(
                server: settings.baseURL, model: config.llm.model)
        } catch {
            throw PipelineError(
                .output, "cannot use the output directory \(options.outputDirectory.path)", cause: error)
        }
    }
}
