import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `precis status` and `precis gc`: what the store holds, and dropping what no file needs.
@Suite(.serialized)
struct StatusAndGCTests {

    func json(_ arguments: [String]) async throws -> [String: Any] {
        let result = try await PrecisProcess.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func statusCountsDoneNewChangedAndFailedFilesWithoutRunningAnything() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        let out = dir.appendingPathComponent("out")
        let story = try TestSupport.write(try TestSupport.storyText(), to: "story.txt", in: input)
        try TestSupport.write("Short and done. It will not change. That is all.", to: "same.txt", in: input)
        try TestSupport.write(Data("%PDF-1.7\n1 0 obj <<".utf8), to: "broken.pdf", in: input)
        #expect(try await PrecisProcess.run(["run", input.path, "--out", out.path]).status == 1)

        try TestSupport.write("A new arrival. Not yet summarized. Pending.", to: "new.txt", in: input)
        try TestSupport.write(try TestSupport.storyText() + "\n\nAn epilogue, added later.", to: "story.txt", in: input)
        _ = story
        let store = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"))
        let callsBefore = try await store.callCount()
        let runsBefore = try await store.runs().count

        let status = try await json(["status", out.path, "--json"])
        let files = try #require(status["files"] as? [String: Int])
        #expect(files["done"] == 1)
        #expect(files["new"] == 1)
        #expect(files["changed"] == 1)
        #expect(files["pending"] == 2)
        #expect(files["failed"] == 1)
        let lastRun = try #require(status["last_run"] as? [String: Any])
        #expect(lastRun["exit_code"] as? Int == 1)
        #expect(lastRun["ended_at"] != nil)
        let stored = try #require(status["stored"] as? [String: Any])
        #expect(stored["calls"] as? Int == callsBefore)
        #expect(stored["prompt_tokens"] as? Int ?? 0 > 0)
        let attention = try #require(status["attention"] as? [[String: String]])
        #expect(attention.contains { $0["path"] == "broken.pdf" && $0["reason"]?.hasPrefix("failed: ") == true })

        let text = try await PrecisProcess.run(["status", out.path])
        #expect(text.status == 0)
        // Nothing ran: the store holds what it held.
        #expect(try await store.callCount() == callsBefore)
        #expect(try await store.runs().count == runsBefore)
    }

    @Test func statusOfAFolderWithoutAStoreExitsTwoAndSaysWhatToDo() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let result = try await PrecisProcess.run(["status", dir.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("holds no precis output"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".precis").path))
        #expect(try await PrecisProcess.run(["gc", dir.path]).status == 2)
    }

    @Test func gcDropsTheCallsAnEditLeftBehindAndNothingARerunNeeds() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        let out = dir.appendingPathComponent("out")
        try FileManager.default.copyItem(at: TestSupport.samples, to: input)
        #expect(try await PrecisProcess.run(["run", input.path, "--out", out.path]).status == 0)
        let story = input.appendingPathComponent("en/harrow-point.txt")
        try TestSupport.write(
            "Chapter 0: Before\n\nA new opening changes every chunk after it. "
                + (try String(contentsOf: story, encoding: .utf8)), to: "en/harrow-point.txt", in: input)
        #expect(try await PrecisProcess.run(["run", input.path, "--out", out.path]).status == 0)

        // A temp file a killed write left behind.
        try TestSupport.write("half a summary", to: "en/.harrow-point.txt.md.99999.precis-tmp", in: out)
        let dry = try await json(["gc", out.path, "--dry-run", "--json"])
        let unused = try #require((dry["calls"] as? [String: Any])?["calls"] as? Int)
        #expect(unused > 0)
        #expect(dry["temp_files"] as? [String] == ["en/.harrow-point.txt.md.99999.precis-tmp"])
        let storeURL = out.appendingPathComponent(".precis/state.sqlite")
        let before = try await CheckpointStore(url: storeURL).callCount()
        let gc = try await json(["gc", out.path, "--json"])
        #expect((gc["calls"] as? [String: Any])?["calls"] as? Int == unused)
        #expect(try await CheckpointStore(url: storeURL).callCount() == before - unused)
        #expect(
            !FileManager.default.fileExists(
                atPath: out.appendingPathComponent("en/.harrow-point.txt.md.99999.precis-tmp").path))
        // Everything the current files need is still there.
        #expect(try await PrecisProcess.run(["run", input.path, "--out", out.path]).status == 0)
        #expect(try readTotals(out).callsMade == 0)
        #expect(try readTotals(out).skipped == 4)
    }

    @Test func gcWaitsForNoRunAndExits75WhenOneHoldsTheFolder() async throws {
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(latency: .seconds(30)))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let resume = ResumeTests()
        let run = try PrecisProcess(
            ["run", TestSupport.samples.path, "--pipeline", try resume.smallPipeline(in: dir), "--out", out.path],
            environment: resume.environment(server))
        #expect(try await PrecisProcess.until { server.stats.chatRequests >= 1 })
        let gc = try PrecisProcess(["gc", out.path])
        #expect(try await gc.exit() == 75)
        #expect(gc.stderr.contains("in use by precis PID \(run.pid)"))
        let status = try PrecisProcess(["status", out.path])
        #expect(try await status.exit() == 0)
        #expect(status.stdout.contains("running (precis PID \(run.pid))"), "\(status.stdout)")
        run.signal(SIGKILL)
        _ = try await run.exit()
    }
}
