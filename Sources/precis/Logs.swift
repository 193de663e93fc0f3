import Foundation
import Logging

/// Logging to stderr, set up once per process.
///
/// Off a terminal (cron, systemd) lines carry a timestamp and level for the log; on a terminal they
/// are short, coloured unless `NO_COLOR` is set, and printed above the live progress line.
enum Logs {
    static func bootstrap(level: Logger.Level, console: Console = .shared) {
        LoggingSystem.bootstrap { label in
            if console.isTerminal { return ConsoleLogHandler(console: console, logLevel: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Short log lines through the ``Console``.
struct ConsoleLogHandler: LogHandler {
    let console: Console
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = event.message.description
        let line: String =
            switch event.level {
            case .error, .critical: console.paint(text, .red)
            case .warning: console.paint(text, .yellow)
            case .trace, .debug: console.paint(text, .dim)
            default: text.hasPrefix("ok ") ? console.paint("ok", .green) + text.dropFirst(2) : text
            }
        console.write(line)
    }
}
