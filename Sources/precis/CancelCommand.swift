import ArgumentParser
import Foundation
import Pipeline

/// `precis cancel`: cancels an output folder's remote batches.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel the batches a batch-mode run left in flight for an output directory.",
        discussion: """
            Asks the platform to cancel each batch of OUT that has not ended. A cancelled batch keeps the \
            calls it finished: the next `precis run` collects and stores them, and submits the rest again. \
            Use the pipeline of the run (by default, the one OUT's last run used) so that the same server \
            and key are reached.
            Exit codes: 0 done, 2 OUT holds no precis output or no API key, 4 the platform could not be reached.

            Examples:
              precis cancel digests
              precis cancel digests --pipeline kimi-batch
            """
    )

    @Argument(help: "The output directory of a batch-mode run.")
    var out: String = "precis-out"

    @Option(
        name: .shortAndLong,
        help: "The pipeline whose server and key the batches are on (default: the one OUT's last run used).")
    var pipeline: String?

    @Option(help: "The API root of the server (overrides MOONSHOT_BASE_URL and the pipeline).")
    var baseURL: String?

    func run() async throws {
        let cancellation = BatchCancellation(
            outputDirectory: URL(fileURLWithPath: out).standardizedFileURL, pipeline: pipeline, baseURL: baseURL)
        let ids = try await cancellation.run()
        print(
            ids.isEmpty
                ? "precis cancel: no batch in flight in \(out)"
                : "precis cancel: asked to cancel \(ids.count) batch(es): \(ids.joined(separator: ", ")); the next run collects what they finished"
        )
    }
}
