import Checkpoint
import Foundation
import PrecisTesting
import Testing

struct BatchStoreTests {
    func store() async throws -> CheckpointStore {
        try await CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
    }

    func lines(_ job: String, _ keys: [String]) -> [BatchLineRecord] {
        keys.map { BatchLineRecord(job: job, customID: $0, key: $0, document: "a.txt") }
    }

    @Test func anIntentIsRecordedWithItsLinesAtOnceAndDroppedWhole() async throws {
        let store = try await store()
        let job = BatchJob(name: "j1", model: "kimi-k2.6", lines: 2, bytes: 100, window: "24h")
        try await store.begin(job, lines: lines("j1", ["k1", "k2"]))
        #expect(try await store.openBatchJobs().map(\.state) == [.intent])
        #expect(try await store.batchLines(job: "j1").map(\.state) == [.queued, .queued])
        try await store.drop(job)
        #expect(try await store.batchJobs().isEmpty)
        #expect(try await store.batchLines().isEmpty)
    }

    @Test func collectingMarksEachLineAndLeavesUnnamedOnesUnfinished() async throws {
        let store = try await store()
        var job = BatchJob(name: "j1", model: "kimi-k2.6", lines: 3, bytes: 100, window: "24h")
        try await store.begin(job, lines: lines("j1", ["k1", "k2", "k3"]))
        job.state = .submitted
        try await store.update(job)
        try await store.collect(
            job, results: ["k1": (.answered, Data("{}".utf8), nil), "k2": (.failed, nil, "server_error")])
        let byKey = Dictionary(uniqueKeysWithValues: try await store.batchLines(job: "j1").map { ($0.key, $0) })
        #expect(byKey["k1"]?.state == .answered && byKey["k1"]?.answer == Data("{}".utf8))
        #expect(byKey["k2"]?.state == .failed && byKey["k2"]?.error == "server_error")
        #expect(byKey["k3"]?.state == .unfinished)
        #expect(try await store.batchJobs().first?.state == .collected)
    }

    @Test func anAnswerBodyIsReleasedOnceItsCallIsStored() async throws {
        let store = try await store()
        let job = BatchJob(name: "j1", model: "kimi-k2.6", lines: 2, bytes: 100, window: "24h")
        try await store.begin(job, lines: lines("j1", ["k1", "k2"]))
        try await store.collect(
            job, results: ["k1": (.answered, Data("{}".utf8), nil), "k2": (.answered, Data("{}".utf8), nil)])
        try await store.save(
            StoredCall(
                key: "k1", stage: "map", summarizer: "s", output: "o", promptTokens: 1, completionTokens: 1, batch: true
            ))
        try await store.releaseStoredAnswers()
        let byKey = Dictionary(uniqueKeysWithValues: try await store.batchLines(job: "j1").map { ($0.key, $0) })
        #expect(byKey["k1"]?.answer == nil && byKey["k1"]?.state == .answered)
        #expect(byKey["k2"]?.answer != nil, "an answer not yet stored as a call is kept")
        #expect(try await store.callTotals(keys: ["k1"]).batchCalls == 1)
        #expect(try await store.callTotals().batchCalls == 1)
    }

    @Test func extractedTextIsKeptByContentHash() async throws {
        let store = try await store()
        #expect(try await store.extractedText(contentHash: "h") == nil)
        try await store.save(ExtractedText(contentHash: "h", text: "the text", via: "kimi"))
        #expect(try await store.extractedText(contentHash: "h")?.text == "the text")
    }
}
