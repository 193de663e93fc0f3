import Checkpoint
import Foundation

/// What the output folder's store tells an estimate: the files done, what the server was found to
/// be, and how long the pipeline's answers run. The estimate reads it and never writes it.
///
/// A folder with no store is a first run, and the estimate says so by counting everything; a store
/// that is there but cannot be read is an error, since an estimate that ignored it would price as
/// new every call the store already holds.
struct KeptState: Sendable {
    let store: CheckpointStore?
    let learned: ServerFacts?
    let previous: [String: FileState]

    static func read(_ url: URL, settings: RunSettings) async throws(PipelineError) -> KeptState {
        guard FileManager.default.fileExists(atPath: url.path) else {
            return KeptState(store: nil, learned: nil, previous: [:])
        }
        let config = settings.config
        do {
            let store = try await CheckpointStore(url: url, create: false)
            let learned =
                config.backend == .openAICompatible
                ? try await store.serverFacts(server: settings.baseURL, model: config.llm.model) : nil
            let previous = Dictionary(try await store.fileStates().map { ($0.path, $0) }, uniquingKeysWith: { $1 })
            return KeptState(store: store, learned: learned, previous: previous)
        } catch {
            throw PipelineError(.output, "cannot read the store \(url.path)", cause: error)
        }
    }

    /// The mean answer and reasoning lengths per stage of `summarizer`'s stored calls.
    func lengths(summarizer: String) async throws(PipelineError) -> (answers: [String: Int], reasoning: [String: Int]) {
        guard let store else { return ([:], [:]) }
        do {
            return (
                try await store.answerLengths(summarizer: summarizer),
                try await store.reasoningLengths(summarizer: summarizer)
            )
        } catch {
            throw PipelineError(.output, "cannot read the store \(store.url.path)", cause: error)
        }
    }
}
