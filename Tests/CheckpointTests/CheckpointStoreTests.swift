import Checkpoint
import Foundation
import PrecisTesting
import Testing

struct CheckpointStoreTests {
    @Test func keepsCallsAndFileStatesAcrossReopening() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let url = dir.appendingPathComponent(".precis/state.sqlite")
        do {
            let store = try await CheckpointStore(url: url)
            try await store.save(
                StoredCall(
                    key: "k1", stage: "map", summarizer: "s", output: "summary one", promptTokens: 10,
                    completionTokens: 3))
            try await store.save(
                FileState(
                    path: "a.txt", contentHash: "h", size: 5, modified: Date(), pipelineFingerprint: "p", status: .ok,
                    outputPath: "a.txt.md", gist: "g", calls: 3))
        }
        let reopened = try await CheckpointStore(url: url)
        #expect(try await reopened.call(key: "k1")?.output == "summary one")
        #expect(try await reopened.call(key: "missing") == nil)
        #expect(try await reopened.fileState(path: "a.txt")?.calls == 3)
        #expect(try await reopened.callCount() == 1)
    }

    @Test func aSecondSaveOfTheSameKeyKeepsTheFirst() async throws {
        let store = try await CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        try await store.save(
            StoredCall(key: "k", stage: "map", summarizer: "s", output: "first", promptTokens: 1, completionTokens: 1))
        try await store.save(
            StoredCall(key: "k", stage: "map", summarizer: "s", output: "second", promptTokens: 1, completionTokens: 1))
        #expect(try await store.call(key: "k")?.output == "first")
    }

    @Test func aKeptTokenRatioIsNeverReplacedSoEveryLaterRunCutsAlike() async throws {
        let store = try await CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        try await store.save(ServerFacts(server: "http://s", model: "m", contextWindow: 8192))
        try await store.save(
            ServerFacts(
                server: "http://s", model: "m", contextWindow: 8192, tokenRatio: 1.9, cjkPerCharacter: 0.7,
                ratioSource: "/tokenize"))
        try await store.save(
            ServerFacts(server: "http://s", model: "m", contextWindow: 32768, tokenRatio: 2.4, ratioSource: "/other"))
        let kept = try await store.serverFacts(server: "http://s", model: "m")
        #expect(kept?.tokenRatio == 1.9 && kept?.cjkPerCharacter == 0.7 && kept?.ratioSource == "/tokenize")
        #expect(kept?.contextWindow == 32768)
    }

    @Test func updatesAFileStateInPlace() async throws {
        let store = try await CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        var state = FileState(
            path: "a", contentHash: "h1", size: 1, modified: Date(), pipelineFingerprint: "p", status: .ok)
        try await store.save(state)
        state.status = .failed
        state.error = "damaged"
        try await store.save(state)
        #expect(try await store.fileStates().map(\.status) == [.failed])
    }

    @Test func recordsRuns() async throws {
        let store = try await CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        var run = try await store.begin(RunRecord(startedAt: Date(), pipeline: "default"))
        #expect(run.id != nil)
        run.exitCode = 1
        run.endedAt = Date()
        try await store.finish(run)
        #expect(try await store.runs().first?.exitCode == 1)
    }

    @Test func failsClearlyWhenTheStoreCannotBeCreated() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let blocker = try TestSupport.write("file, not a folder", to: "blocked", in: dir)
        await #expect { try await CheckpointStore(url: blocker.appendingPathComponent("state.sqlite")) } throws: {
            ($0 as? CheckpointError)?.code == .open
        }
    }
}

struct CheckpointStoreLinkTests {
    func call(_ key: String) -> StoredCall {
        StoredCall(
            key: key, stage: "map", summarizer: "s", output: "summary \(key)", promptTokens: 10, completionTokens: 2,
            cost: 0.5)
    }

    func state(_ path: String) -> FileState {
        FileState(path: path, contentHash: "h", size: 1, modified: Date(), pipelineFingerprint: "p", status: .ok)
    }

    @Test func garbageIsWhatNoFileLinksToAndUnfinishedFilesKeepTheirCalls() async throws {
        let store = try await CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        // A file interrupted part way: its calls are linked as they finish.
        try await store.save(call("a1"), for: "a.txt")
        // A finished file, then finished again after an edit: k2 is left behind.
        for key in ["b1", "b2"] { try await store.save(call(key), for: "b.txt") }
        try await store.save(state("b.txt"), calls: ["b1", "b2"])
        try await store.save(call("b3"), for: "b.txt")
        try await store.save(state("b.txt"), calls: ["b1", "b3"])

        #expect(try await store.garbageTotals().calls == 1)
        let freed = try await store.collectGarbage()
        #expect(freed.calls == 1)
        #expect(freed.promptTokens == 10)
        #expect(freed.cost == 0.5)
        #expect(try await store.call(key: "b2") == nil)
        #expect(try await store.call(key: "a1") != nil)

        try await store.removeFiles(["b.txt"])
        #expect(try await store.fileState(path: "b.txt") == nil)
        #expect(try await store.collectGarbage().calls == 2)
        #expect(try await store.callCount() == 1)
        #expect(try await store.callTotals().cost == 0.5)
    }

    @Test func aMissingStoreIsNotCreatedWhenOnlyReading() async throws {
        let url = try TestSupport.temporaryDirectory().appendingPathComponent(".precis/state.sqlite")
        await #expect(throws: CheckpointError.self) { try await CheckpointStore(url: url, create: false) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}
