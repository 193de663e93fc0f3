import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `precis` binary started in the background, for tests that signal it or race it.
///
/// Waiting polls with `Task.sleep`, never blocking a cooperative thread the fake server needs.
final class Spawned: @unchecked Sendable {
    let process = Process()
    private let errorFile: URL
    private let outputFile: URL

    /// Starts `precis` with `arguments`, with no Moonshot variables but those in `environment`.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("precis-stderr-\(UUID().uuidString)")
        outputFile = errorFile.appendingPathExtension("out")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        process.executableURL = TestSupport.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MOONSHOT_API_KEY"] = nil
        env["MOONSHOT_BASE_URL"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// What the process wrote to stderr so far.
    var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// What the process wrote to stdout so far.
    var stdout: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the process to end and returns its exit status (128 + n when a signal n killed it).
    func exit() async throws -> Int32 {
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Waits until `condition` holds, or `timeout` passes; returns whether it held.
    static func until(_ timeout: Duration = .seconds(20), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
