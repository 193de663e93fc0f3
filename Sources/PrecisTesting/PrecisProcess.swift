import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one way tests run the built `precis` binary, as a user would: to its end with ``run(_:in:environment:)``,
/// or in the background with ``init(_:in:environment:)`` for tests that signal it or race it.
///
/// The child sees no Moonshot variables but those a test gives, and writes stdout and stderr to
/// files, so neither pipe can fill and stall it. Waiting polls with `Task.sleep`, never blocking a
/// cooperative thread that the fake server needs.
public final class PrecisProcess: @unchecked Sendable {
    /// What a finished run printed and how it exited.
    public struct Result: Sendable {
        public var status: Int32
        public var stderr: String
        public var stdout: String

        public init(status: Int32, stderr: String, stdout: String) {
            self.status = status
            self.stderr = stderr
            self.stdout = stdout
        }
    }

    public let process = Process()
    private let errorFile: URL
    private let outputFile: URL

    /// Starts `precis` with `arguments` in `directory` (the tests' own by default). On a `terminal`,
    /// it runs under `script`, which gives it a pseudo-terminal whose transcript is its stdout, with
    /// `TERM=xterm` and no `NO_COLOR` unless `environment` says otherwise.
    /// - Parameters:
    ///   - binary: another build of `precis`, such as the release build a benchmark times.
    ///   - fileSizeLimit: the most bytes any file it writes may hold (`ulimit -f`), to make a disk
    ///     that fills without a filesystem of its own.
    public init(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], terminal: Bool = false,
        binary: String? = nil, fileSizeLimit: Int? = nil
    ) throws {
        let executable = binary.map { URL(fileURLWithPath: $0) } ?? TestSupport.binary
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("precis-stderr-\(UUID().uuidString)")
        outputFile = errorFile.appendingPathExtension("out")
        for file in [errorFile, outputFile] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        if terminal {
            let command = ([executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qefc", command, "/dev/null"]
            process.standardInput = FileHandle.nullDevice
        } else if let fileSizeLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments =
                ["-c", "ulimit -f \(max(1, fileSizeLimit / 512)) && exec \"$0\" \"$@\"", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["MOONSHOT_API_KEY"] = nil
        env["MOONSHOT_BASE_URL"] = nil
        // A fleet's store is given by a test, never inherited.
        env["PRECIS_STORE"] = nil
        if terminal {
            env["NO_COLOR"] = nil
            env["TERM"] = "xterm"
        }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    deinit {
        for file in [errorFile, outputFile] {
            // Files in the temporary folder; one already gone is what this wanted.
            do { try FileManager.default.removeItem(at: file) } catch { continue }
        }
    }

    /// Runs `precis` to its end and returns what it printed.
    ///
    /// The wait suspends instead of blocking: tests share a cooperative pool with one thread per core,
    /// and two blocked waits on a two-core machine stall every other test in the process.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        terminal: Bool = false, fileSizeLimit: Int? = nil
    ) async throws -> Result {
        let child = try PrecisProcess(
            arguments, in: directory, environment: environment, terminal: terminal, fileSizeLimit: fileSizeLimit)
        _ = try await child.exit()
        return Result(status: child.process.terminationStatus, stderr: child.stderr, stdout: child.stdout)
    }

    public var pid: Int32 { process.processIdentifier }

    /// What the process wrote to stderr so far.
    public var stderr: String { Self.text(of: errorFile) }

    /// What the process wrote to stdout so far.
    public var stdout: String { Self.text(of: outputFile) }

    /// What the process wrote to `file`; nothing yet when the file is not there.
    private static func text(of file: URL) -> String {
        do { return try String(contentsOf: file, encoding: .utf8) } catch { return "" }
    }

    public func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the process to end and returns its exit status (128 + n when a signal n killed it).
    public func exit() async throws -> Int32 {
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Waits until `condition` holds, or `timeout` passes; returns whether it held.
    public static func until(_ timeout: Duration = .seconds(20), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
