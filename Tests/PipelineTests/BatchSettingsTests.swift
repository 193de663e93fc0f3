import ChatAPI
import Checkpoint
import Foundation
import PrecisTesting
import Testing

@testable import Pipeline

struct BatchSettingsTests {
    @Test func theShippedBatchPipelineIsKimiInBatchModeAtSixtyPercent() throws {
        let config = try PipelineLoader.load("kimi-batch")
        #expect(config.mode == .batch && config.llm.model == "kimi-k2.6")
        #expect(
            config.batch == PipelineConfig.Batch(completionWindow: "24h", discount: 0.4, retries: 2, fallback: .none))
        #expect(abs(config.priceFactor - 0.6) < 1e-12)
        #expect(try PipelineLoader.load("kimi").priceFactor == 1)
    }

    @Test func batchSettingsAreCheckedAsTheAPIChecksThem() {
        for (yaml, message) in [
            ("batch: {completion_window: 6h}", "must be 12h to 7d"),
            ("batch: {discount: 1.5}", "batch.discount"),
            ("batch: {fallback: sometimes}", "not one of none, online"),
            ("batch: {max_line: 3}", "unknown key 'batch.max_line'")
        ] {
            #expect(throws: PipelineError.self, "\(yaml)") {
                try PipelineLoader.parse("extends: kimi\n" + yaml + "\n", file: "p.yaml")
            }
            do { _ = try PipelineLoader.parse("extends: kimi\n" + yaml + "\n", file: "p.yaml") } catch {
                #expect(String(describing: error).contains(message), "\(error)")
            }
        }
        #expect(throws: PipelineError.self) { try PipelineLoader.parse("mode: batch\n", file: "offline.yaml") }
        #expect(throws: PipelineError.self) { try PipelineConfig.builtIn.batchMode() }
    }

    @Test func formatsAndOCRKimiSendFilesToKimi() throws {
        let config = try PipelineLoader.parse("extends: kimi\nformats: kimi\nocr: kimi\n", file: "p.yaml")
        #expect(config.formats == .kimi && config.ocr == .kimi && config.readsThroughKimi)
        #expect(!(try PipelineLoader.load("kimi")).readsThroughKimi)
    }

    @Test func batchesHoldOneModelAndAtMostMaxLinesEach() throws {
        func wanted(_ key: String, _ model: String) -> BatchLedger.Wanted {
            .init(
                key: key, request: ChatRequest(model: model, messages: [.user("text of \(key)")], maxTokens: 16),
                document: "d")
        }
        let calls = [
            wanted("a", "kimi-k2.6"), wanted("b", "kimi-k2.7-code"), wanted("c", "kimi-k2.6"), wanted("d", "kimi-k2.6")
        ]
        let groups = try BatchCourier.groups(calls, maxLines: 2)
        #expect(groups.map { $0.map(\.key) } == [["a", "c"], ["d"], ["b"]])
    }

    @Test func theLedgerAnswersWaitsAndCountsFailuresByKey() async throws {
        let store = try await CheckpointStore(url: TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite"))
        var done = BatchJob(name: "j1", model: "kimi-k2.6", lines: 3, bytes: 1, window: "24h")
        try await store.begin(
            done, lines: ["ok", "bad", "late"].map { BatchLineRecord(job: "j1", customID: $0, key: $0, document: "d") })
        let body =
            #"{"model":"kimi-k2.6","choices":[{"message":{"role":"assistant","content":"the answer"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#
        try await store.collect(
            done, results: ["ok": (.answered, Data(body.utf8), nil), "bad": (.failed, nil, "server_error")])
        done.state = .done
        try await store.update(done)
        var flying = BatchJob(name: "j2", model: "kimi-k2.6", lines: 1, bytes: 1, window: "24h")
        flying.state = .submitted
        try await store.begin(flying, lines: [BatchLineRecord(job: "j2", customID: "wait", key: "wait", document: "d")])

        let ledger = BatchLedger(retries: 0)
        try await ledger.load(store)
        guard case .answer(let completion) = await ledger.lookup("ok") else {
            Issue.record("ok is answered")
            return
        }
        #expect(completion.text == "the answer" && completion.usage?.promptTokens == 5)
        guard case .waiting = await ledger.lookup("wait") else {
            Issue.record("wait is in flight")
            return
        }
        guard case .exhausted(let error) = await ledger.lookup("bad") else {
            Issue.record("bad is out of retries")
            return
        }
        #expect(error == "server_error")
        guard case .new = await ledger.lookup("late") else {
            Issue.record("late was unfinished: sent again")
            return
        }
        let patient = BatchLedger(retries: 1)
        try await patient.load(store)
        guard case .new = await patient.lookup("bad") else {
            Issue.record("bad has a retry left")
            return
        }
    }
}
