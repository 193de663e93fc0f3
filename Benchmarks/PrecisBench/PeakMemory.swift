import Foundation

/// Runs a command and follows its peak resident memory (`VmHWM` in `/proc/PID/status`).
///
/// `wait4`'s `ru_maxrss` would be wrong here: a child spawned by this large process inherits its
/// high-water mark at `exec`, so the figure would be the bench's own memory, not precis's.
enum PeakMemory {
    /// Seconds, exit status and peak RSS in MB of `tool arguments`, its output discarded.
    static func run(_ tool: String, _ arguments: [String]) throws -> (seconds: Double, status: Int32, megabytes: Double)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let status = "/proc/\(process.processIdentifier)/status"
        var peak = 0.0
        while process.isRunning {
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
            {
                peak = max(peak, kb / 1024)
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        return (seconds(clock.now - start), process.terminationStatus, peak)
    }
}
