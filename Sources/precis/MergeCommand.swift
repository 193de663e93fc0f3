import ArgumentParser
import Foundation
import Logging
import Pipeline

/// `precis merge`: writes a fleet's or shards' folder index and report on demand.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write OUT/index.md and OUT/report.json over every worker's or shard's files.",
        discussion: """
            With --store (or PRECIS_STORE), reads the job's latest round from the shared store; the last \
            worker of a fleet does this on its own, so merge is for a fleet that was stopped, or to add \
            --corpus-summary once. Without it, joins the shards' reports and stores (.precis/shard-I-of-N.*) \
            into the folder's own, so status, gc and later runs see one folder.
            Exit codes: 0 merged, 2 nothing to merge, 3 a store cannot be read.

            Examples:
              precis merge /data/out --store postgres://precis@db/precis
              precis merge /data/out                       # after precis run --shards N
              precis merge /data/out --corpus-summary --pipeline kimi
            """
    )

    @Argument(help: "The output directory the workers or shards wrote to.")
    var out: String = "precis-out"

    @Option(name: .shortAndLong, help: "The pipeline, for --corpus-summary (default: the offline `default`).")
    var pipeline: String?

    @Option(help: ArgumentHelp("The shared PostgreSQL store the workers used (or PRECIS_STORE).", valueName: "url"))
    var store: String?

    @Option(help: "The job's name in the shared store (default: the output directory's path).")
    var job: String?

    @Flag(help: "Also summarize the document summaries into OUT/corpus-summary.md.")
    var corpusSummary = false

    @Flag(help: "Print the merged report as JSON on stdout.")
    var json = false

    func run() async throws {
        Logs.bootstrap(level: .info, console: Console.shared)
        let config = try PipelineLoader.load(pipeline)
        let directory = URL(fileURLWithPath: out).standardizedFileURL
        var options = RunOptions(inputs: [directory.path], outputDirectory: directory)
        options.fleet = FleetOptions.from(flag: store, job: job)
        options.corpusSummary = corpusSummary
        let report = try await FolderMerge(options: options, config: config).run()
        Console.shared.write("precis: merged " + report.summaryLine)
        if json { FileHandle.standardOutput.write(try report.json() + Data("\n".utf8)) }
    }
}
