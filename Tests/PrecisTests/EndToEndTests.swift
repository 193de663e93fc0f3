import Checkpoint
import Foundation
import Testing

/// Runs the built `precis` binary as a user would.
@Suite(.serialized)
struct EndToEndTests {
    struct Result {
        var status: Int32
        var stderr: String
        var stdout: String = ""
    }

    /// Runs the binary to its end; stdout and stderr go through files, so neither pipe can fill and stall it.
    @discardableResult
    func precis(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = TestSupport.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["MOONSHOT_API_KEY"] = nil
        env["MOONSHOT_BASE_URL"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("precis-e2e-\(UUID().uuidString)")
        let (out, err) = (scratch.appendingPathExtension("out"), scratch.appendingPathExtension("err"))
        for url in [out, err] { FileManager.default.createFile(atPath: url.path, contents: nil) }
        defer { for url in [out, err] { try? FileManager.default.removeItem(at: url) } }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stderr: try String(contentsOf: err, encoding: .utf8),
                      stdout: try String(contentsOf: out, encoding: .utf8))
    }

    func report(_ out: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: out.appendingPathComponent("report.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The report's files by path.
    func files(_ out: URL) throws -> [String: [String: Any]] {
        let files = try #require(try report(out)["files"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as! String, $0) })
    }

    func totals(_ out: URL) throws -> [String: Int] {
        let totals = try #require(try report(out)["totals"] as? [String: Any])
        return totals.compactMapValues { $0 as? Int }
    }

    @Test func summarizesTheSamplesThenRerunsWithZeroCallsAndIdenticalOutputs() throws {
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let first = try precis(["run", TestSupport.samples.path, "--out", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        let firstTotals = try totals(out)
        #expect(firstTotals["ok"] == 4)
        #expect(firstTotals["calls_made"] ?? 0 > 0)
        let outputs = try TestSupport.markdownFiles(in: out)
        #expect(outputs.count == 5)
        for (path, data) in outputs { #expect(data.count > 100, "\(path) is too short") }
        let files = try #require(try report(out)["files"] as? [[String: Any]])
        #expect(files.contains { ($0["levels"] as? Int ?? 0) >= 2 })

        let second = try precis(["run", TestSupport.samples.path, "--out", out.path])
        #expect(second.status == 0)
        let secondTotals = try totals(out)
        #expect(secondTotals["calls_made"] == 0)
        #expect(secondTotals["calls_reused"] == firstTotals["calls_made"])
        #expect(try TestSupport.markdownFiles(in: out) == outputs)
        #expect(second.stderr.contains("calls 0 made"))
    }

    @Test func reportsADamagedPDFAndABinaryTextFileAndExitsOne() throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.copyItem(at: TestSupport.samples, to: input)
        try TestSupport.write(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }), to: "blob.txt", in: input)
        try TestSupport.write(Data("%PDF-1.7\n1 0 obj <<".utf8), to: "broken.pdf", in: input)
        let out = dir.appendingPathComponent("out")
        let result = try precis(["run", input.path, "--out", out.path])
        #expect(result.status == 1)
        let files = try #require(try report(out)["files"] as? [[String: Any]])
        let failed = files.filter { $0["status"] as? String == "failed" }
        #expect(Set(failed.compactMap { $0["path"] as? String }) == ["blob.txt", "broken.pdf"])
        #expect(failed.allSatisfy { ($0["error"] as? String)?.isEmpty == false })
        #expect(try totals(out)["ok"] == 4)
        #expect(result.stderr.contains("blob.txt: binary file"))
        #expect(result.stderr.contains("broken.pdf: damaged or unreadable PDF"))
    }

    @Test func usageAndPipelineErrorsExitTwo() throws {
        let dir = try TestSupport.temporaryDirectory()
        let missing = try precis(["run", dir.appendingPathComponent("missing").path, "--out", dir.appendingPathComponent("o").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing: no such file or directory"))
        let bad = try TestSupport.write("chunking:\n  chunk_size: 10\n", to: "bad.yaml", in: dir)
        let badPipeline = try precis(["run", TestSupport.samples.path, "--pipeline", bad.path, "--out", dir.appendingPathComponent("o").path])
        #expect(badPipeline.status == 2)
        #expect(badPipeline.stderr.contains("unknown key 'chunking.chunk_size'"))
        #expect(try precis(["run"]).status == 2)
        #expect(try precis(["run", TestSupport.samples.path, "--concurrency", "0"]).status == 2)
        #expect(try precis(["--help"]).status == 0)
    }

    @Test func resumesAfterSIGKILLWithIdenticalOutputsAndNoRepeatedCalls() throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        // A corpus big enough that a run takes a while: the story's paragraphs in rotated orders.
        let paragraphs = try TestSupport.storyText().components(separatedBy: "\n\n")
        for i in 0..<36 {
            let rotated = paragraphs[(i % paragraphs.count)...] + paragraphs[..<(i % paragraphs.count)]
            try TestSupport.write("Copy \(i)\n\n" + rotated.joined(separator: "\n\n"), to: "part\(i / 12)/story-\(i).txt", in: input)
        }
        let reference = dir.appendingPathComponent("reference")
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try precis(["run", input.path, "--out", reference.path, "-q"]).status == 0)
        let elapsed = clock.now - start
        let expected = try TestSupport.markdownFiles(in: reference)
        let totalCalls = try totals(reference)["calls_made"] ?? 0
        #expect(expected.count == 37)

        var random = SplitMix64(seed: 20261122)
        let window = max(0.05, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        var interruptedMidway = 0
        for round in 0..<4 {
            let out = dir.appendingPathComponent("killed-\(round)")
            let process = Process()
            process.executableURL = TestSupport.binary
            process.arguments = ["run", input.path, "--out", out.path, "-q"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            let delay = window * (0.1 + 0.8 * Double(random.next() % 1000) / 1000)
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let storeURL = out.appendingPathComponent(".precis/state.sqlite")
            let storedBefore = FileManager.default.fileExists(atPath: storeURL.path) ? try CheckpointStore(url: storeURL).callCount() : 0
            if storedBefore > 0 && storedBefore < totalCalls { interruptedMidway += 1 }
            let resumed = try precis(["run", input.path, "--out", out.path, "-q"])
            #expect(resumed.status == 0, "round \(round): \(resumed.stderr)")
            #expect(try TestSupport.markdownFiles(in: out) == expected, "round \(round) after \(delay) s")
            // Every stored call was reused: the resumed run made exactly the calls the killed one had not finished.
            #expect(try totals(out)["calls_made"] == totalCalls - storedBefore, "round \(round)")
        }
        // The kills must land while calls are being stored, or the test proves nothing.
        #expect(interruptedMidway >= 2)
    }
}

/// A small seeded generator, so kill points repeat from run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
