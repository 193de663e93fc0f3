import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Without PostgreSQL, parts of the inputs run apart and `precis merge` joins them.
struct ShardMergeTests {
    @Test func twoShardsRunTogetherAndMergeIntoTheSameFolderAsOneRun() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        // One part from its flag, the other as a Slurm array task gives it.
        let first = try PrecisProcess(["run", TestSupport.samples.path, "--out", out.path, "--shard", "0/2", "-q"])
        let second = try PrecisProcess(
            ["run", TestSupport.samples.path, "--out", out.path, "--shards", "2", "-q"],
            environment: ["SLURM_ARRAY_TASK_ID": "1"])
        #expect(try await first.exit() == 0, "\(first.stderr)")
        #expect(try await second.exit() == 0, "\(second.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: out.appendingPathComponent("index.md").path),
            "a shard writes no folder index")
        let parts = try (0..<2).map {
            try JSONOutput.decode(
                RunReport.self,
                from: Data(contentsOf: out.appendingPathComponent(".precis/shard-\($0)-of-2.report.json")))
        }
        #expect(parts.map(\.files.count).reduce(0, +) == 4)
        #expect(parts.map { $0.shard } == ["0/2", "1/2"])

        let merge = try await PrecisProcess.run(["merge", out.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        let report = try readReport(out)
        #expect(report.files.map(\.path) == report.files.map(\.path).sorted())
        #expect(report.totals.ok == 4)

        let single = dir.appendingPathComponent("single")
        #expect(try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", single.path, "-q"]).status == 0)
        #expect(
            try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
                == String(contentsOf: single.appendingPathComponent("index.md"), encoding: .utf8))
        #expect(try PostgresFleetTests.bodies(out) == PostgresFleetTests.bodies(single))

        // The joined store is the folder's own: a plain run afterwards finds everything done.
        let again = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try readTotals(out).skipped == 4)
    }

    @Test func aShardIndexBeyondTheCountIsRefused() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let result = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--out", dir.path, "--shards", "2"],
            environment: ["SLURM_ARRAY_TASK_ID": "2", "JOB_COMPLETION_INDEX": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--array=0-1"), "\(result.stderr)")
        #expect(try await PrecisProcess.run(["merge", dir.path]).status == 2, "no shard reports to merge")
    }
}
