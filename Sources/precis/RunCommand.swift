import ArgumentParser
import Foundation
import Logging
import Pipeline
import Scheduling

/// `precis run`: summarizes the inputs into an output directory.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Summarize TXT and PDF files under the inputs.",
        discussion: """
        Writes OUT/<relative path>.md per document, OUT/index.md and OUT/report.json, and keeps every \
        finished call in OUT/.precis/state.sqlite so that running the same command again repeats nothing.
        Unchanged files (same size and mtime, else same content) are skipped without a call. One run \
        holds an output directory at a time. SIGINT or SIGTERM stops new calls and lets those in flight \
        finish within --grace seconds; a second signal abandons them.

        Exit codes: 0 all files ok, 1 some files failed, 2 usage or pipeline error (a missing API key \
        included), 3 output unusable, 4 stopped early: the API refused the key, the balance ran out, or a \
        daily limit or spending cap was reached; 75 another run holds the output directory; 130/143 \
        interrupted by SIGINT/SIGTERM. After 4, 130 or 143, rerun the same command to resume.

        Examples:
          precis run ~/papers --out ~/papers-summaries
          precis run reports --pipeline moonshot --tier 1 --max-cost 20
          precis run inbox --out digests --wait --prune      # from cron
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

    @Option(help: ArgumentHelp("Only read files matching this glob; repeat it for more (e.g. '*.pdf', 'reports/**').", valueName: "glob"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Leave out files matching this glob; repeat it for more (e.g. 'drafts/**').", valueName: "glob"))
    var exclude: [String] = []

    @Flag(help: "Also read files and folders whose names start with a dot.")
    var hidden = false

    @Option(help: ArgumentHelp("Refuse files larger than this, such as 256M, 1G or 500k.", valueName: "size"))
    var maxFileSize: String = "256M"

    @Option(help: "Read pages without a text layer by OCR: auto (when tesseract is installed), always, never (default: the pipeline's, else auto).")
    var ocr: OCRMode?

    @Option(name: .shortAndLong, help: "Files read and extracted at once (default: one per core).")
    var jobs: Int?

    @Option(help: ArgumentHelp("A password to try on encrypted PDFs (PRECIS_PDF_PASSWORD works too, and stays out of `ps`).", valueName: "password"))
    var pdfPassword: String?

    @Flag(help: "Confirm unchanged files by their content hash even when their size and mtime match.")
    var rehash = false

    @Flag(help: "Remove the summaries of files whose inputs are gone (they are kept otherwise).")
    var prune = false

    @Flag(help: "If another run holds the output directory, wait for it instead of exiting with 75.")
    var wait = false

    @Option(help: "Seconds that calls in flight may take to finish after SIGINT or SIGTERM.")
    var grace: Double = 30

    @Flag(name: .shortAndLong, help: "Log only warnings and errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log debugging detail.")
    var verbose = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one file or directory to summarize") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let tier, !(0...5).contains(tier) { throw ValidationError("--tier must be 0 to 5") }
        for (name, value) in [("--rpm", rpm), ("--tpm", tpm), ("--tpd", tpd), ("--max-tokens-total", maxTokensTotal)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1") }
        }
        if let maxCost, maxCost <= 0 { throw ValidationError("--max-cost must be positive") }
        if grace < 0 || !grace.isFinite { throw ValidationError("--grace must be 0 or more seconds") }
        if IngestOptions.parseSize(maxFileSize) == nil {
            throw ValidationError("--max-file-size takes a size such as 256M, 1G, 500k or a number of bytes, not '\(maxFileSize)'")
        }
    }

    func run() async throws {
        let level: Logger.Level = quiet ? .warning : verbose ? .debug : .info
        Logs.bootstrap(level: level)
        let config = try PipelineLoader.load(pipeline)
        let options = RunOptions(
            inputs: inputs, outputDirectory: URL(fileURLWithPath: out).standardizedFileURL, concurrency: concurrency, baseURL: baseURL,
            limits: LimitOverrides(tier: tier, rpm: rpm, tpm: tpm, tpd: tpd, spending: SpendingLimits(maxTokens: maxTokensTotal, maxCost: maxCost)),
            rehash: rehash, prune: prune, waitForLock: wait,
            ingest: IngestOptions(includeHidden: hidden, include: include, exclude: exclude,
                                  maxFileBytes: IngestOptions.parseSize(maxFileSize) ?? IngestOptions.defaultMaxFileBytes,
                                  pdfPassword: pdfPassword ?? ProcessInfo.processInfo.environment["PRECIS_PDF_PASSWORD"], ocr: ocr),
            jobs: jobs
        )
        let control = RunControl(grace: .milliseconds(Int64(grace * 1000)))
        let trap = SignalTrap(control)
        let report = try await BatchRun(options: options, config: config, control: control).run()
        withExtendedLifetime(trap) {}
        FileHandle.standardError.write(Data("precis: \(report.summaryLine)\n".utf8))
        if let left = report.leftLine {
            FileHandle.standardError.write(Data("precis: \(left)\n".utf8))
        }
        let status = report.exitStatus
        if status != .ok { throw status }
    }
}
