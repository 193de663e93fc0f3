import Checkpoint
import Foundation
import Logging

/// `precis cancel`: asks the platform to cancel an output folder's batches in flight.
///
/// A cancelled batch keeps the lines it finished; the next run collects them and submits the rest
/// again. Cancelling does not take the folder's lock, so it also reaches the batches of a
/// `--wait` run, which then collects them as they end.
public struct BatchCancellation: Sendable {
    public let outputDirectory: URL
    /// The pipeline whose server and key reach the batches; nil takes the folder's last run's.
    public let pipeline: String?
    public let baseURL: String?

    public init(outputDirectory: URL, pipeline: String? = nil, baseURL: String? = nil) {
        self.outputDirectory = outputDirectory
        self.pipeline = pipeline
        self.baseURL = baseURL
    }

    /// Cancels the batches and gives the platform's ids of those asked to cancel.
    /// - Throws: ``PipelineError`` `.usage` for a folder without a store, `.config` without a key.
    public func run(logger: Logger = Logger(label: "precis")) async throws(PipelineError) -> [String] {
        let options = RunOptions(inputs: [], outputDirectory: outputDirectory, baseURL: baseURL)
        let store: CheckpointStore
        do { store = try await CheckpointStore(url: options.storeURL, create: false) } catch {
            throw PipelineError(.usage, "\(outputDirectory.path) holds no precis output (no .precis/state.sqlite)")
        }
        let name: String
        do {
            let last = try await store.runs(limit: 1).first?.pipeline
            name = pipeline ?? last ?? "kimi-batch"
        } catch {
            throw PipelineError(.output, "cannot read the store in \(outputDirectory.path)", cause: error)
        }
        let settings = RunSettings(options: options, config: try PipelineLoader.load(name))
        let client = try Engine.makeClient(settings)
        let courier = BatchCourier(
            client: client, store: store, settings: settings.config.batch, retries: settings.config.retries,
            logger: logger)
        do {
            let cancelled = try await courier.cancel()
            await client.shutdown()
            return cancelled.compactMap(\.batchID)
        } catch {
            await client.shutdown()
            throw PipelineError(.stopped, "cannot cancel the batches of \(outputDirectory.path)", cause: error)
        }
    }
}
