import Foundation
import Synchronization

/// Standard error, shared by log lines and the live progress line so they never tangle.
///
/// On a terminal the progress line stays at the bottom: a log line clears it, prints, and it is
/// drawn again. Colour is used only on a terminal and never when `NO_COLOR` is set.
final class Console: Sendable {
    static let shared = Console()

    /// Whether standard error is a terminal, which is when the live line is drawn.
    let isTerminal: Bool
    /// Whether to colour the output (https://no-color.org).
    let colors: Bool
    private let line = Mutex<String?>(nil)

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        isTerminal = isatty(STDERR_FILENO) == 1
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        colors = isTerminal && !noColor && environment["TERM"] != "dumb"
    }

    enum Tint: String {
        case green = "32"
        case red = "31"
        case yellow = "33"
        case dim = "2"
        case bold = "1"
    }

    /// `text` in `tint`, when colours are on.
    func paint(_ text: String, _ tint: Tint) -> String {
        colors ? "\u{1B}[\(tint.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Writes a line above the live line.
    func write(_ text: String) {
        line.withLock { status in
            var out = status == nil ? "" : "\r\u{1B}[2K"
            out += text + "\n"
            if let status { out += status }
            FileHandle.standardError.write(Data(out.utf8))
        }
    }

    /// Replaces the live line; only on a terminal.
    func status(_ text: String) {
        guard isTerminal else { return }
        line.withLock { status in
            status = String(text.prefix(Self.width() - 1))
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + status!).utf8))
        }
    }

    /// Removes the live line.
    func clearStatus() {
        line.withLock { status in
            if status != nil { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            status = nil
        }
    }

    private static func width() -> Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 100
    }
}
