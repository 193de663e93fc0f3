import ArgumentParser
import Foundation
import Logging
import Pipeline

/// `precis run`: summarizes the inputs into an output directory.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Summarize TXT and PDF files under the inputs.",
        discussion: """
        Writes OUT/<relative path>.md per document, OUT/index.md and OUT/report.json, and keeps every \
        finished call in OUT/.precis/state.sqlite so that running the same command again repeats nothing.
        Exit codes: 0 all files ok, 1 some files failed, 2 usage or pipeline error (a missing API key \
        included), 3 output unusable, 4 stopped early because the API refused the key or the quota ran out.
        """
    )

    @Argument(help: "Files or directories to summarize (.txt, .text, .md, .pdf).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The output directory.")
    var out: String = "precis-out"

    @Option(name: .shortAndLong, help: "A pipeline file, or the name of one in ./pipelines (default: the built-in offline pipeline).")
    var pipeline: String?

    @Option(help: "The most summarizer calls running at once (default: the pipeline's, else one per core offline, 4 for models).")
    var concurrency: Int?

    @Option(help: "The API root of an OpenAI-compatible server (overrides MOONSHOT_BASE_URL and the pipeline).")
    var baseURL: String?

    @Flag(name: .shortAndLong, help: "Log only warnings and errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log debugging detail.")
    var verbose = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one file or directory to summarize") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        let level: Logger.Level = quiet ? .warning : verbose ? .debug : .info
        Logs.bootstrap(level: level)
        let config = try PipelineLoader.load(pipeline)
        let options = RunOptions(
            inputs: inputs, outputDirectory: URL(fileURLWithPath: out).standardizedFileURL, concurrency: concurrency, baseURL: baseURL
        )
        let report = try await BatchRun(options: options, config: config).run()
        FileHandle.standardError.write(Data("precis: \(report.summaryLine)\n".utf8))
        if let stopped = report.stopped {
            FileHandle.standardError.write(Data("precis: stopped early: \(stopped)\n".utf8))
            throw ExitStatus.stopped
        }
        if report.totals.failed > 0 { throw ExitStatus.someFilesFailed }
    }
}
