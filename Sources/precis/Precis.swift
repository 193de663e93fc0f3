import ArgumentParser
import Foundation
import Pipeline

/// The `precis` command: summarizes directories of TXT and PDF documents.
@main
struct Precis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precis",
        abstract: "Summarize directories of TXT and PDF documents with recursive map-reduce.",
        discussion: """
            Runs offline with an extractive summarizer by default. Every finished call is checkpointed, so \
            a rerun after a crash or an edit repeats only what is missing or changed.

            Examples:
              precis run ~/papers --out ~/papers-summaries                 # offline, no key needed
              precis estimate ~/papers --pipeline kimi                     # calls, tokens, cost, time
              MOONSHOT_API_KEY=sk-... precis run ~/papers --pipeline kimi
              precis status ~/papers-summaries
              precis --generate-completion-script bash > /etc/bash_completion.d/precis
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, EstimateCommand.self, StatusCommand.self, MergeCommand.self, GCCommand.self,
            CancelCommand.self, ExtractCommand.self, PipelinesCommand.self, ModelsCommand.self
        ],
        defaultSubcommand: nil
    )

    /// Parses the command line, runs the command, and exits with the code ``ExitStatus`` gives.
    static func main() async {
        MallocTuning.apply()
        // A file-size limit (ulimit -f) is a write that fails, for the run to report and stop on
        // like a full disk, not a signal that kills it with nothing written.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            // precis's own errors map in one place (Pipeline's ExitStatus); the parser's own
            // (help, version, a bad flag) are 0 or 2.
            let domain = ExitStatus(for: error)
            let status = domain ?? (exitCode(for: error) == .success ? .ok : .usage)
            if error is ExitStatus {
                // The command already said what happened.
            } else if status == .ok {
                print(fullMessage(for: error))
            } else {
                let message = domain != nil ? "precis: \(error)" : fullMessage(for: error)
                if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            }
            Foundation.exit(status.rawValue)
        }
    }
}
