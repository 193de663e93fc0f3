import ArgumentParser
import Foundation
import Pipeline

/// The options `run` and `estimate` share: what to read, with which pipeline, under which limits.
struct SourceOptions: ParsableArguments {
    @Argument(help: "Files or directories to summarize (.txt, .text, .md, .pdf).")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "The output directory.")
    var out: String = "precis-out"

    @Option(
        name: .shortAndLong,
        help:
            "A pipeline file, or a name: looked up in ./pipelines, ~/.config/precis/pipelines, then built in (default: the offline `default`; `precis pipelines` lists them)."
    )
    var pipeline: String?

    @Flag(
        help:
            "Send the model calls through the platform's Batch API at its discount (as `mode: batch`): each run collects what finished and submits the next level, and exits 5 until the folder is done."
    )
    var batch = false

    @Option(
        help:
            "The most summarizer calls running at once (default: the pipeline's, else one per core offline, 4 for models)."
    )
    var concurrency: Int?

    @Option(help: "The API root of an OpenAI-compatible server (overrides MOONSHOT_BASE_URL and the pipeline).")
    var baseURL: String?

    @Option(help: "Moonshot's recharge tier, 0 to 5: sets the account's concurrency, RPM, TPM and TPD.")
    var tier: Int?

    @Option(help: "The account's requests per minute.")
    var rpm: Int?

    @Option(help: "The account's tokens per minute, charged as prompt + max_tokens.")
    var tpm: Int?

    @Option(help: "The account's tokens per day.")
    var tpd: Int?

    @Option(help: "Stop admitting calls once this many tokens would be spent in this run.")
    var maxTokensTotal: Int?

    @Option(help: "Stop admitting calls once this cost (in the pipeline's currency) would be spent in this run.")
    var maxCost: Double?

    @OptionGroup(title: "Reading") var read: ReadOptions

    @Flag(help: "Confirm unchanged files by their content hash even when their size and mtime match.")
    var rehash = false

    func validate() throws {
        if inputs.isEmpty {
            throw ValidationError(
                "name at least one file or directory to summarize, e.g. `precis run ~/papers --out ~/papers-summaries`")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let tier, !(0...5).contains(tier) {
            throw ValidationError(
                "--tier must be 0 to 5 (Moonshot's recharge tiers); give --rpm/--tpm/--tpd for other limits")
        }
        for (name, value) in [("--rpm", rpm), ("--tpm", tpm), ("--tpd", tpd), ("--max-tokens-total", maxTokensTotal)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1") }
        }
        if let maxCost, maxCost <= 0 { throw ValidationError("--max-cost must be positive") }
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        for input in inputs where URL(fileURLWithPath: input).standardizedFileURL == outURL {
            throw ValidationError("the output directory is also an input; write summaries elsewhere with --out DIR")
        }
    }

    /// The pipeline `--pipeline` names, in batch mode under `--batch`.
    func pipelineConfig() throws -> PipelineConfig {
        let config = try PipelineLoader.load(pipeline)
        return batch ? try config.batchMode() : config
    }

    /// The run's options from the flags.
    func runOptions() -> RunOptions {
        RunOptions(
            inputs: inputs, outputDirectory: URL(fileURLWithPath: out).standardizedFileURL, concurrency: concurrency,
            baseURL: baseURL,
            limits: LimitOverrides(
                tier: tier, rpm: rpm, tpm: tpm, tpd: tpd,
                spending: SpendingLimits(maxTokens: maxTokensTotal, maxCost: maxCost)),
            rehash: rehash, ingest: read.ingestOptions(), jobs: read.jobs
        )
    }
}
