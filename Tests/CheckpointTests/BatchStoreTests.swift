import Checkpoint
import Foundation
import PrecisTesting
import Testing

struct BatchStoreTests {
    func store() throws -> CheckpointStore {
        try CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
    }

    func lines(_ job: String, _ keys: [String]) -> [BatchLineRecord] {
        keys.map { BatchLineRecord(job: job, customID: $0, key: $0, document: "a.txt") }
    }

    @Test func anIntentIsRecordedWithItsLinesAtOnceAndDroppedWhole() throws {
        let store = try store()
        let job = BatchJob(name: "j1", model: "kimi-k2.6", lines: 2, bytes: 100, window: "24h")
        try store.begin(job, lines: lines("j1", ["k1", "k2"]))
        #expect(try store.openBatchJobs().map(\.state) == [.intent])
        #expect(try store.batchLines(job: "j1").map(\.state) == [.queued, .queued])
        try store.drop(job)
        #expect(try store.batchJobs().isEmpty && store.batchLines().isEmpty)
    }

    @Test func collectingMarksEachLineAndLeavesUnnamedOnesUnfinished() throws {
        let store = try store()
        var job = BatchJob(name: "j1", model: "kimi-k2.6", lines: 3, bytes: 100, window: "24h")
        try store.begin(job, lines: lines("j1", ["k1", "k2", "k3"]))
        job.state = .submitted
        try store.update(job)
        try store.collect(job, results: ["k1": (.answered, Data("{}".utf8), nil), "k2": (.failed, nil, "server_error")])
        let byKey = Dictionary(uniqueKeysWithValues: try store.batchLines(job: "j1").map { ($0.key, $0) })
        #expect(byKey["k1"]?.state == .answered && byKey["k1"]?.answer == Data("{}".utf8))
        #expect(byKey["k2"]?.state == .failed && byKey["k2"]?.error == "server_error")
        #expect(byKey["k3"]?.state == .unfinished)
        #expect(try store.batchJobs().first?.state == .collected)
    }

    @Test func anAnswerBodyIsReleasedOnceItsCallIsStored() throws {
        let store = try store()
        let job = BatchJob(name: "j1", model: "kimi-k2.6", lines: 2, bytes: 100, window: "24h")
        try store.begin(job, lines: lines("j1", ["k1", "k2"]))
        try store.collect(job, results: ["k1": (.answered, Data("{}".utf8), nil), "k2": (.answered, Data("{}".utf8), nil)])
        try store.save(StoredCall(key: "k1", stage: "map", summarizer: "s", output: "o", promptTokens: 1, completionTokens: 1, batch: true))
        try store.releaseStoredAnswers()
        let byKey = Dictionary(uniqueKeysWithValues: try store.batchLines(job: "j1").map { ($0.key, $0) })
        #expect(byKey["k1"]?.answer == nil && byKey["k1"]?.state == .answered)
        #expect(byKey["k2"]?.answer != nil, "an answer not yet stored as a call is kept")
        #expect(try store.callTotals(keys: ["k1"]).batchCalls == 1 && store.callTotals().batchCalls == 1)
    }

    @Test func extractedTextIsKeptByContentHash() throws {
        let store = try store()
        #expect(try store.extractedText(contentHash: "h") == nil)
        try store.save(ExtractedText(contentHash: "h", text: "the text", via: "kimi"))
        #expect(try store.extractedText(contentHash: "h")?.text == "the text")
    }
}
