import Foundation
import Pipeline

/// The live line a run shows on a terminal: documents, calls in flight, tokens, cost and ETA.
struct ProgressLine: Sendable {
    let progress: RunProgress
    let console: Console

    /// Redraws the line four times a second until cancelled.
    func start() -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                let snapshot = await progress.snapshot()
                // Nothing to show until the walk has found the files.
                if snapshot.files > 0 { console.status(Self.render(snapshot, console: console)) }
                do { try await Task.sleep(for: .milliseconds(250)) } catch { break }
            }
            console.clearStatus()
        }
    }

    static func render(_ s: RunProgress.Snapshot, console: Console) -> String {
        var parts = ["\(s.filesDone)/\(s.files) documents"]
        if s.failed > 0 { parts.append(console.paint("\(s.failed) failed", .red)) }
        parts.append("\(s.callsInFlight) in flight")
        parts.append("\(s.callsMade) calls, \(s.callsReused) reused")
        parts.append("\(compact(s.promptTokens + s.completionTokens)) tokens")
        if s.cost > 0 { parts.append(String(format: "%.4f %@", s.cost, s.currency)) }
        parts.append(Elapsed.clock(s.seconds) + (s.eta.map { ", ETA " + Elapsed.clock($0) } ?? ""))
        return console.paint("precis ", .bold) + parts.joined(separator: " · ")
    }

    static func compact(_ n: Int) -> String {
        n >= 1_000_000 ? String(format: "%.1fM", Double(n) / 1e6) : n >= 10_000 ? "\(n / 1000)k" : "\(n)"
    }
}

/// Durations as a clock: `0:42`, `12:05`, `1:02:09`.
enum Elapsed {
    static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
