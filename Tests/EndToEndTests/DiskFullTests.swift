import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// A disk that cannot take more stops the spending: the run admits no new call once a write
/// fails, counts every answer it paid for, keeps what it can and exits 3; the rerun after the
/// disk is freed pays only for what was never kept.
@Suite(.serialized)
struct DiskFullTests {
    /// The fake server, and a folder of 21 texts with the 600-token pipeline, an output folder and the run's arguments.
    func setUp(out prepare: (URL) throws -> Void = { _ in }) async throws -> (FakeMoonshotServer, URL, [String]) {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(latency: .milliseconds(5)))
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try SameTreeTests().corpus(in: input)
        let file = try SameTreeTests().pipeline(in: dir)
        let out = dir.appendingPathComponent("out")
        try prepare(out)
        return (server, out, ["run", input.path, "--pipeline", file, "--out", out.path, "-q", "--concurrency", "8"])
    }

    func environment(_ server: FakeMoonshotServer) -> [String: String] { ResumeTests().environment(server) }

    func storedKeys(_ out: URL) async throws -> Int { try await ResumeTests().storedCalls(out) }

    @Test func aStoreThatCannotGrowStopsTheRunWithExit3AndCountsEveryPaidAnswer() async throws {
        let (server, out, arguments) = try await setUp()
        defer { Task { await server.stop() } }

        // No file may pass 500 kB: the pages fit, the store's write-ahead log soon does not.
        let full = try await PrecisProcess.run(arguments, environment: environment(server), fileSizeLimit: 500_000)
        #expect(full.status == 3, "\(full.stderr)")
        #expect(full.stderr.contains("cannot be written"), "\(full.stderr)")
        let paid = server.stats.completed
        let kept = try await storedKeys(out)
        // Lost: the 8 calls in flight when the store filled, and answers waiting for their save then.
        #expect(paid - kept <= 16, "\(paid) answers paid, \(kept) kept: the run went on paying after the store filled")
        let report = try readReport(out)
        #expect(report.stop == .output)
        #expect(report.totals.callsMade == paid, "the report counts \(report.totals.callsMade) calls of \(paid) paid")
        #expect(
            report.files.allSatisfy { $0.status != .failed },
            "a full disk is no file's fault: \(report.files.filter { $0.status == .failed }.map(\.error))")

        // Space again: the rerun finishes and pays only for what was never kept.
        let again = try await PrecisProcess.run(arguments, environment: environment(server))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try readTotals(out).ok == 21)
        #expect(await server.stats.completed - paid == (try storedKeys(out)) - kept)
    }

    /// Whether this process may mount a small tmpfs (root, as CI runs), for a real full disk.
    static let canMount: Bool = {
        guard geteuid() == 0, let dir = try? TestSupport.temporaryDirectory("mount-probe") else { return false }
        guard Self.sh("mount -t tmpfs -o size=64k tmpfs '\(dir.path)'") else { return false }
        return Self.sh("umount '\(dir.path)'")
    }()

    @discardableResult
    static func sh(_ command: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: DiskFullTests.canMount, "mounting a tmpfs needs root"))
    func anOutputFolderOnAFullThenReadOnlyFilesystemStopsWithExit3AndNeverPaysTwice() async throws {
        let (server, out, arguments) = try await setUp { out in
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            #expect(Self.sh("mount -t tmpfs -o size=400k tmpfs '\(out.path)'"))
        }
        defer { Task { await server.stop() } }
        defer { Self.sh("umount '\(out.path)'") }
        let input = URL(fileURLWithPath: arguments[1])

        let full = try await PrecisProcess.run(arguments, environment: environment(server))
        #expect(full.status == 3, "\(full.stderr)")
        let paid = server.stats.completed
        let kept = try await storedKeys(out)
        #expect(paid - kept <= 16, "\(paid) answers paid, \(kept) kept")

        #expect(Self.sh("mount -o remount,size=64m '\(out.path)'"))
        let again = try await PrecisProcess.run(arguments, environment: environment(server))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            await server.stats.completed - paid == (try storedKeys(out)) - kept,
            "the rerun paid again for answers the store kept")

        // Read-only, with an input changed: nothing is paid for what could not be kept.
        try TestSupport.write(
            "A new report on the lighthouse, written after the last run.\n", to: "doc-new.txt", in: input)
        #expect(Self.sh("mount -o remount,ro '\(out.path)'"))
        let before = server.stats.completed
        let readOnly = try await PrecisProcess.run(arguments, environment: environment(server))
        #expect(readOnly.status == 3, "\(readOnly.stderr)")
        #expect(server.stats.completed == before)
        let status = try await PrecisProcess.run(["status", out.path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("21 done"), "\(status.stdout)")
        #expect(Self.sh("mount -o remount,rw '\(out.path)'"))
    }
}
