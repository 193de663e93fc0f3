import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `precis run` as a user runs it: the built binary, offline, on the samples.
@Suite(.serialized)
struct RunCommandTests {
    @Test func summarizesTheSamplesThenRerunsWithZeroCallsAndIdenticalOutputs() async throws {
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let first = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        let firstTotals = try readTotals(out)
        #expect(firstTotals.ok == 4)
        #expect(firstTotals.callsMade > 0)
        let outputs = try TestSupport.markdownFiles(in: out)
        #expect(outputs.count == 5)
        for (path, data) in outputs { #expect(data.count > 100, "\(path) is too short") }
        // Each sample fits one call, so each is ranked whole.
        #expect(try readReport(out).files.allSatisfy { $0.levels == 1 && $0.chunks == 1 })

        let second = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path])
        #expect(second.status == 0)
        let secondTotals = try readTotals(out)
        #expect(secondTotals.callsMade == 0)
        #expect(secondTotals.callsReused == firstTotals.callsMade)
        #expect(try TestSupport.markdownFiles(in: out) == outputs)
        #expect(second.stderr.contains("calls 0 made"))
    }

    @Test func reportsADamagedPDFAndABinaryTextFileAndExitsOne() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.copyItem(at: TestSupport.samples, to: input)
        try TestSupport.write(
            Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }), to: "blob.txt", in: input)
        try TestSupport.write(Data("%PDF-1.7\n1 0 obj <<".utf8), to: "broken.pdf", in: input)
        let out = dir.appendingPathComponent("out")
        let result = try await PrecisProcess.run(["run", input.path, "--out", out.path])
        #expect(result.status == 1)
        let failed = try readReport(out).files.filter { $0.status == .failed }
        #expect(Set(failed.map(\.path)) == ["blob.txt", "broken.pdf"])
        #expect(failed.allSatisfy { $0.error?.isEmpty == false })
        #expect(try readTotals(out).ok == 4)
        #expect(result.stderr.contains("blob.txt: binary file"))
        #expect(result.stderr.contains("broken.pdf: damaged or unreadable PDF"))
    }

    @Test func usageAndPipelineErrorsExitTwo() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let missing = try await PrecisProcess.run([
            "run", dir.appendingPathComponent("missing").path, "--out", dir.appendingPathComponent("o").path
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing: no such file or directory"))
        let bad = try TestSupport.write("chunking:\n  chunk_size: 10\n", to: "bad.yaml", in: dir)
        let badPipeline = try await PrecisProcess.run([
            "run", TestSupport.samples.path, "--pipeline", bad.path, "--out", dir.appendingPathComponent("o").path
        ])
        #expect(badPipeline.status == 2)
        #expect(badPipeline.stderr.contains("unknown key 'chunking.chunk_size'"))
        #expect(try await PrecisProcess.run(["run"]).status == 2)
        #expect(try await PrecisProcess.run(["run", TestSupport.samples.path, "--concurrency", "0"]).status == 2)
        #expect(try await PrecisProcess.run(["--help"]).status == 0)
    }
    @Test func somebodyElsesFolderIsNotWrittenIntoWithoutForce() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let theirs = dir.appendingPathComponent("notes")
        let index = try TestSupport.write("# My own index\n", to: "index.md", in: theirs)
        try TestSupport.write("my plans", to: "en/harrow-point.txt.md", in: theirs)
        let refused = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", theirs.path])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(
            refused.stderr.contains("not a precis output folder") && refused.stderr.contains("--force"),
            "\(refused.stderr)")
        #expect(try String(contentsOf: index, encoding: .utf8) == "# My own index\n")
        #expect(
            !FileManager.default.fileExists(atPath: theirs.appendingPathComponent(".precis").path),
            "nothing was made there")

        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(
            try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", empty.path]).status == 0,
            "an empty folder is fine")
        #expect(
            try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", empty.path]).status == 0,
            "and so is precis's own")
        let forced = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", theirs.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: index, encoding: .utf8) != "# My own index\n", "--force writes there")
    }
}
