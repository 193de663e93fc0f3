import Foundation
import Pipeline
import PrecisTesting
import Testing

/// A store that is not whole is never taken for a new one: the run and `status` stop with exit 3
/// and say what to do, instead of failing every file or silently paying for everything again.
struct DamagedStoreTests {
    func summarized() async throws -> (dir: URL, out: URL) {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let first = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "-q"])
        #expect(first.status == 0, "\(first.stderr)")
        return (dir, out)
    }

    func store(_ out: URL) -> URL { out.appendingPathComponent(".precis/state.sqlite") }

    @Test func aStoreTruncatedToNothingStopsTheRunAndStatusWithExit3() async throws {
        let (_, out) = try await summarized()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store(out).path + suffix) }
        try Data().write(to: store(out))
        let run = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "-q"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(
            run.stderr.contains("empty (0 bytes)") && run.stderr.contains("Restore it from a backup"), "\(run.stderr)")
        #expect(try Data(contentsOf: store(out)).isEmpty, "the emptied store is left for the user to restore")
        let status = try await PrecisProcess.run(["status", out.path])
        #expect(status.status == 3, "\(status.stderr)")
        #expect(!status.stderr.contains("holds no precis output"), "\(status.stderr)")
    }

    @Test func aStoreWithGarbageOverItsPagesStopsTheRunWithExit3AndFailsNoFile() async throws {
        let (_, out) = try await summarized()
        // Fold the write-ahead log in, then overwrite every page but the first.
        let checkpoint = try await PrecisProcess.run(["status", out.path])
        #expect(checkpoint.status == 0)
        var bytes = try Data(contentsOf: store(out))
        #expect(bytes.count > 8192)
        var random = SplitMix64(seed: 7)
        for index in 4096..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
        try bytes.write(to: store(out))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store(out).path + suffix) }
        let run = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "-q", "--rehash"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("damaged") && run.stderr.contains("move it aside"), "\(run.stderr)")
        if let report = try? readReport(out) {
            #expect(report.files.allSatisfy { $0.status != .failed }, "a damaged store is no file's fault")
        }
        let status = try await PrecisProcess.run(["status", out.path])
        #expect(status.status == 3, "\(status.stderr)")
        #expect(status.stderr.contains("damaged"), "\(status.stderr)")
    }
}
