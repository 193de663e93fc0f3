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
            Unchanged files (same size and mtime, else same content) are skipped without a call. One run \
            holds an output directory at a time. SIGINT or SIGTERM stops new calls and lets those in flight \
            finish within --grace seconds; a second signal abandons them.
            On a terminal a live line shows documents, calls in flight, tokens, cost and the time left; \
            elsewhere (cron) one line is logged per document. The last line always sums up the run.

            Exit codes: 0 all files ok, 1 some files failed, 2 usage or pipeline error (a missing API key \
            included), 3 output unusable, 4 stopped early: the API refused the key, the balance ran out, or a \
            daily limit or spending cap was reached; 5 batch mode: calls are in the platform's batches and \
            nothing failed, run again later; 75 another run holds the output directory; 130/143 \
            interrupted by SIGINT/SIGTERM. After 4, 5, 130 or 143, rerun the same command to go on.
            With --batch (or a pipeline with mode: batch, such as kimi-batch) each run collects the batches \
            that ended, writes the documents whose trees are complete and submits the next level at the \
            batch discount; --wait then stays and polls until the folder is done.

            Examples:
              precis run ~/papers --out ~/papers-summaries
              precis run reports --pipeline moonshot --tier 1 --max-cost 20
              precis run reports --pipeline kimi --dry-run            # what it would cost
              precis run books --pipeline book --corpus-summary --json > run.json
              precis run inbox --out digests --wait --prune --quiet   # from cron
              precis run inbox --out digests --pipeline kimi-batch     # 40% off; exits 5 until done
              precis run /data/in --out /data/out --store postgres://precis@db/precis   # one worker of many
              precis run /data/in --out /data/out --shards 4          # part $SLURM_ARRAY_TASK_ID of 4

            With --store (or PRECIS_STORE), any number of workers on any number of machines share one \
            PostgreSQL: they claim files from the job's queue under a lease a heartbeat renews, share \
            finished calls, and keep together to the account's limits; the last to finish writes index.md \
            and report.json. Without PostgreSQL, --shard/--shards split the files by a hash of their paths \
            and `precis merge OUT` joins the parts.
            """
    )

    @OptionGroup var source: SourceOptions

    @OptionGroup(title: "Many machines") var fleet: FleetFlags

    @Flag(help: "Print what the run would make and cost (as `precis estimate`), and stop.")
    var dryRun = false

    @Flag(
        help:
            "After the documents, summarize their summaries into OUT/corpus-summary.md, one summary of the whole folder."
    )
    var corpusSummary = false

    @Flag(help: "Remove the summaries of files whose inputs are gone (they are kept otherwise).")
    var prune = false

    @Flag(
        help:
            "Write into an output folder that holds other files and no .precis/ (refused otherwise, so a mistyped --out overwrites nothing)."
    )
    var force = false

    @Flag(
        help:
            "If another run holds the output directory, wait for it instead of exiting with 75; in batch mode, also poll the batches until the folder is done instead of exiting with 5."
    )
    var wait = false

    @Option(help: "Seconds that calls in flight may take to finish after SIGINT or SIGTERM.")
    var grace: Double = 30

    @Flag(name: .shortAndLong, help: "Log only warnings and errors, and draw no progress line; the final line stays.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log debugging detail.")
    var verbose = false

    @Flag(help: "Print the run's report as JSON on stdout when it ends (the same as OUT/report.json).")
    var json = false

    func validate() throws {
        if grace < 0 || !grace.isFinite { throw ValidationError("--grace must be 0 or more seconds") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other; give one") }
        if dryRun && (prune || wait) {
            throw ValidationError("--dry-run changes nothing, so --prune and --wait do not apply; drop them")
        }
    }

    func run() async throws {
        let config = try source.pipelineConfig()
        var options = source.runOptions()
        options.fleet = fleet.fleetOptions()
        options.shard = try fleet.shardPart()
        if options.fleet != nil && options.shard != nil {
            throw ValidationError(
                "PRECIS_STORE names a shared store, whose queue splits the work, so --shard and --shards do not apply; unset one"
            )
        }
        if dryRun {
            let estimate = try await RunPlanner(options: options, config: config).estimate()
            try EstimateCommand.print(estimate, json: json)
            return
        }
        let console = Console.shared
        Logs.bootstrap(level: quiet ? .warning : verbose ? .debug : .info, console: console)
        options.prune = prune
        options.force = force
        options.waitForLock = wait
        options.corpusSummary = corpusSummary
        let progress = RunProgress()
        options.progress = progress
        let line = console.isTerminal && !quiet ? ProgressLine(progress: progress, console: console).start() : nil
        let control = RunControl(grace: .milliseconds(Int64(grace * 1000)))
        let trap = SignalTrap(control)
        let report: RunReport
        do {
            report = try await FolderRun(options: options, config: config, control: control).run()
        } catch {
            line?.cancel()
            await line?.value
            throw error
        }
        line?.cancel()
        await line?.value
        withExtendedLifetime(trap) {}
        let status = report.exitStatus
        let tint: Console.Tint = status == .ok ? .green : status == .someFilesFailed ? .red : .yellow
        console.write(console.paint("precis: ", tint) + report.summaryLine)
        if let left = report.leftLine { console.write("precis: \(left)") }
        if json { FileHandle.standardOutput.write(try report.json() + Data("\n".utf8)) }
        if status != .ok { throw status }
    }
}
