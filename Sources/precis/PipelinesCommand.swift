import ArgumentParser
import Pipeline

/// `precis pipelines`: the pipelines `--pipeline NAME` can pick.
struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "List the pipeline files in ./pipelines, one line each.",
        discussion: """
        `precis run --pipeline NAME` takes any of these names. Without --pipeline, precis uses the built-in \
        offline pipeline, the same as pipelines/default.yaml. A pipeline file may start with \
        `extends: NAME` and set only what differs.
        Exit codes: 0 listed, 2 a listed pipeline does not load (its line says why).

        Examples:
          precis pipelines
          precis pipelines --folder ~/my-pipelines
        """
    )

    @Option(help: "The folder to list.")
    var folder: String = "pipelines"

    func run() throws {
        let entries = PipelineCatalog.list(in: folder)
        if entries.isEmpty { print("no pipeline files in \(folder)/; the built-in offline pipeline is used without --pipeline") }
        for entry in entries { print(entry.line) }
        if entries.contains(where: { if case .failure = $0.config { true } else { false } }) { throw ExitStatus.usage }
    }
}
