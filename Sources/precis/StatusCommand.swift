import ArgumentParser
import Foundation
import Pipeline

/// `precis status`: what an output directory holds and what a rerun would do, without running anything.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show files done, pending and failed, calls stored, tokens and cost so far, and the last run.",
        discussion: """
            Reads OUT/.precis/state.sqlite and checks the last run's inputs by size and modification time; \
            it makes no call and changes nothing, so it is safe while a run is going.
            Exit codes: 0 status printed, 2 OUT holds no precis output, 3 the store cannot be read.

            Examples:
              precis status precis-out
              precis status ~/papers-summaries --json | jq .files
              precis status /data/out --store postgres://precis@db/precis   # a fleet's workers and leases
            """
    )

    @Argument(help: "The output directory of a run.")
    var out: String = "precis-out"

    @Flag(help: "Print the status as JSON.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "A fleet's shared PostgreSQL store (or PRECIS_STORE): show the job's workers, their files and leases.",
            valueName: "url"))
    var store: String?

    @Option(help: "The job's name in the shared store (default: the output directory's path).")
    var job: String?

    func run() async throws {
        let directory = URL(fileURLWithPath: out).standardizedFileURL
        if let options = FleetOptions.from(flag: store, job: job) {
            let fleet = try await OutputStatus.readFleet(directory, options: options)
            if json {
                FileHandle.standardOutput.write(try fleet.json() + Data("\n".utf8))
            } else {
                print(fleet.text, terminator: "")
            }
            return
        }
        let status = try await OutputStatus.read(URL(fileURLWithPath: out).standardizedFileURL)
        if json {
            FileHandle.standardOutput.write(try status.json() + Data("\n".utf8))
        } else {
            print(status.text, terminator: "")
        }
    }
}
