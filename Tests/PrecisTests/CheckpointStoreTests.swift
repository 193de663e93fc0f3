import Checkpoint
import Foundation
import Testing

struct CheckpointStoreTests {
    @Test func keepsCallsAndFileStatesAcrossReopening() throws {
        let dir = try TestSupport.temporaryDirectory()
        let url = dir.appendingPathComponent(".precis/state.sqlite")
        do {
            let store = try CheckpointStore(url: url)
            try store.save(StoredCall(key: "k1", stage: "map", summarizer: "s", output: "summary one", promptTokens: 10, completionTokens: 3))
            try store.save(FileState(path: "a.txt", contentHash: "h", size: 5, modified: Date(), pipelineFingerprint: "p", status: .ok, outputPath: "a.txt.md", gist: "g", calls: 3))
        }
        let reopened = try CheckpointStore(url: url)
        #expect(try reopened.call(key: "k1")?.output == "summary one")
        #expect(try reopened.call(key: "missing") == nil)
        #expect(try reopened.fileState(path: "a.txt")?.calls == 3)
        #expect(try reopened.callCount() == 1)
    }

    @Test func aSecondSaveOfTheSameKeyKeepsTheFirst() throws {
        let store = try CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        try store.save(StoredCall(key: "k", stage: "map", summarizer: "s", output: "first", promptTokens: 1, completionTokens: 1))
        try store.save(StoredCall(key: "k", stage: "map", summarizer: "s", output: "second", promptTokens: 1, completionTokens: 1))
        #expect(try store.call(key: "k")?.output == "first")
    }

    @Test func updatesAFileStateInPlace() throws {
        let store = try CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        var state = FileState(path: "a", contentHash: "h1", size: 1, modified: Date(), pipelineFingerprint: "p", status: .ok)
        try store.save(state)
        state.status = .failed
        state.error = "damaged"
        try store.save(state)
        #expect(try store.fileStates().map(\.status) == [.failed])
    }

    @Test func recordsRuns() throws {
        let store = try CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        var run = try store.begin(RunRecord(startedAt: Date(), pipeline: "default"))
        #expect(run.id != nil)
        run.exitCode = 1
        run.endedAt = Date()
        try store.finish(run)
        #expect(try store.runs().first?.exitCode == 1)
    }

    @Test func failsClearlyWhenTheStoreCannotBeCreated() throws {
        let dir = try TestSupport.temporaryDirectory()
        let blocker = try TestSupport.write("file, not a folder", to: "blocked", in: dir)
        #expect { try CheckpointStore(url: blocker.appendingPathComponent("state.sqlite")) } throws: {
            ($0 as? CheckpointError)?.code == .open
        }
    }
}
