import ArgumentParser
import Foundation
import Pipeline

/// `precis estimate`: what a run would make and cost, before it spends anything.
struct EstimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Predict files, chunks, calls, tokens, cost and time of a run, without making a call.",
        discussion: """
            Reads and chunks the inputs as `precis run` would and walks each document's summary tree on \
            paper. Calls whose answers OUT/.precis/state.sqlite already holds are not counted, so estimating \
            a finished run gives 0 calls. Tokens and cost come as expected (Moonshot's tokenizer, summaries \
            of typical length) and as an upper bound (every call writing its max_tokens). No API key is needed.
            `precis run --dry-run` prints the same.

            Examples:
              precis estimate ~/papers --pipeline kimi
              precis estimate reports --pipeline moonshot-auto --tier 0 --out digests
              precis estimate inbox --pipeline brief --json | jq .cost_max
            """
    )

    @OptionGroup var source: SourceOptions

    @Flag(help: "Print the estimate as JSON on stdout.")
    var json = false

    func run() async throws {
        let config = try source.pipelineConfig()
        let estimate = try await RunPlanner(options: source.runOptions(), config: config).estimate()
        try Self.print(estimate, json: json)
    }

    static func print(_ estimate: RunEstimate, json: Bool) throws {
        if json {
            FileHandle.standardOutput.write(try estimate.json() + Data("\n".utf8))
        } else {
            Swift.print("precis estimate, pipeline \(estimate.pipeline), model \(estimate.model)\n" + estimate.text)
        }
    }
}
