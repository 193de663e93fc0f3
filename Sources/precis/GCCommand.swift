import ArgumentParser
import Foundation
import Pipeline

/// `precis gc`: drops stored calls no current file needs.
struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Drop stored calls that no current file's summary uses, and compact the store.",
        discussion: """
            Calls become unused when a file changes, when the pipeline's model or prompts change, or when \
            `precis run --prune` forgets a file whose input is gone. Calls of files that are not finished yet \
            are kept, so an interrupted run still resumes without paying again.
            Exit codes: 0 done, 2 OUT holds no precis output, 3 the store cannot be written, 75 a run holds OUT.

            Examples:
              precis gc precis-out --dry-run
              precis gc ~/papers-summaries --wait
            """
    )

    @Argument(help: "The output directory of a run.")
    var out: String = "precis-out"

    @Flag(help: "Show what would be removed, and remove nothing.")
    var dryRun = false

    @Flag(help: "If a run holds the output directory, wait for it instead of exiting with 75.")
    var wait = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let gc = GarbageCollection(
            outputDirectory: URL(fileURLWithPath: out).standardizedFileURL, dryRun: dryRun, waitForLock: wait)
        let result = try await gc.run()
        if json {
            FileHandle.standardOutput.write(try JSONOutput.encode(result) + Data("\n".utf8))
        } else {
            print("precis gc: \(result.summary)")
        }
    }
}
