import ArgumentParser
import Pipeline

/// `precis pipelines`: the pipelines `--pipeline NAME` can pick, and where each comes from.
struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "List the pipelines --pipeline NAME can pick, one line each, with where each comes from.",
        discussion: """
            A name is looked up in ./pipelines, then in $XDG_CONFIG_HOME/precis/pipelines \
            (~/.config/precis/pipelines by default), then among the pipelines built into precis; the first \
            found wins, and the line says which copies it hides. A path to a .yaml file works anywhere. \
            Without --pipeline, precis uses the built-in offline pipeline, `default`. A pipeline file may start \
            with `extends: NAME` and set only what differs; the name is looked up beside it, then in the same order.
            Exit codes: 0 listed, 2 a listed pipeline does not load (its line says why).

            Examples:
              precis pipelines
              mkdir -p ~/.config/precis/pipelines && printf 'extends: moonshot\\ntier: 1\\n' > ~/.config/precis/pipelines/moonshot.yaml
            """
    )

    func run() throws {
        let entries = PipelineCatalog.list()
        for entry in entries { print(entry.line) }
        if entries.contains(where: { if case .failure = $0.config { true } else { false } }) { throw ExitStatus.usage }
    }
}
