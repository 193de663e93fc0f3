import ChatAPI
import Foundation
import PrecisTesting
import Testing

/// Moonshot's Files and Batch APIs through the client, against the fake platform's state machine.
@Suite(.timeLimit(.minutes(2)))
struct BatchAPITests {
    /// Batches that take a fifth of a second from creation to completion.
    static let quick = FakeServerConfiguration(batchPhase: .milliseconds(60))

    func line(
        _ id: String, _ text: String = "The keeper climbed the tower. The lamp was lit. Ships passed safely all night."
    ) -> BatchLine {
        BatchLine(
            customID: id,
            request: ChatRequest(
                model: "kimi-k2.6", messages: [.system("You summarize."), .user("Summarize.\n\n\(text)")],
                maxTokens: 400, thinking: false))
    }

    /// Polls until the batch has ended.
    func ended(_ id: String, _ client: ChatClient) async throws -> Batch {
        for _ in 0..<1000 {
            let batch = try await client.batch(id)
            if batch.status.isFinal { return batch }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChatAPIError(.timeout, "batch \(id) did not end")
    }

    @Test func aBatchRunsItsLinesAndTheOutputReadsAsCompletions() async throws {
        try await withServer(Self.quick) { client, server in
            let input = try await client.uploadFile(
                named: "calls.jsonl", data: try BatchLine.jsonl([line("a"), line("b")]), purpose: .batch)
            let created = try await client.createBatch(
                inputFileID: input.id, completionWindow: "24h", metadata: ["precis": "run-1"])
            #expect(created.status == .validating)
            #expect(created.metadata == ["precis": "run-1"])
            let batch = try await ended(created.id, client)
            #expect(batch.status == .completed)
            #expect(batch.requestCounts == Batch.RequestCounts(total: 2, completed: 2, failed: 0))
            let output = try #require(batch.outputFileID)
            let results = try BatchResult.parse(try await client.fileContent(output), model: "kimi-k2.6")
            #expect(Set(results.map(\.customID)) == ["a", "b"])
            for result in results {
                let completion = try result.outcome.get()
                #expect(!completion.text.isEmpty && completion.reasoning.isEmpty)
                #expect(completion.usage?.promptTokens ?? 0 > 0)
                // The body is kept as sent, and reads back as the same answer.
                let body = try #require(result.body)
                #expect(try ChatClient.decodeCompletion(Array(body), model: "kimi-k2.6") == completion)
            }
            #expect(server.stats.batchLines == 2 && server.stats.completed == 2)
            // Deleting what precis uploaded and read leaves the account as it was.
            try await client.deleteFile(input.id)
            try await client.deleteFile(output)
            #expect(server.fileIDs.isEmpty)
            #expect(try await client.files().isEmpty)
        }
    }

    @Test func failedLinesGoToTheErrorFileAndAnExpiredBatchKeepsWhatItFinished() async throws {
        let configuration = FakeServerConfiguration(
            seed: 7, batchPhase: .milliseconds(60), batchFailureRate: 0.5, expiringBatches: [1])
        try await withServer(configuration) { client, _ in
            let lines = (0..<8).map { line("l\($0)") }
            let input = try await client.uploadFile(
                named: "calls.jsonl", data: try BatchLine.jsonl(lines), purpose: .batch)
            let batch = try await ended(try await client.createBatch(inputFileID: input.id).id, client)
            #expect(batch.status == .expired)
            let counts = try #require(batch.requestCounts)
            #expect(
                counts.total == 8 && counts.completed + counts.failed == 4,
                "half the lines were reached before it expired")
            var seen: [String: Bool] = [:]
            for file in [batch.outputFileID, batch.errorFileID].compactMap({ $0 }) {
                for result in try BatchResult.parse(try await client.fileContent(file), model: "kimi-k2.6") {
                    if case .success = result.outcome {
                        seen[result.customID] = true
                    } else {
                        seen[result.customID] = false
                    }
                }
            }
            #expect(seen.count == 4)
            #expect(seen.values.filter { $0 }.count == counts.completed)
            #expect(counts.failed > 0, "the seed fails some lines")
        }
    }

    @Test func aCancelledBatchEndsCancelledAndListingFindsItByName() async throws {
        // Phases far longer than the test: the batch is still running when it is cancelled.
        try await withServer(FakeServerConfiguration(batchPhase: .seconds(60))) { client, _ in
            let input = try await client.uploadFile(
                named: "calls.jsonl", data: try BatchLine.jsonl([line("a")]), purpose: .batch)
            let batch = try await client.createBatch(inputFileID: input.id, metadata: ["precis": "run-2"])
            let listed = try await client.batches(limit: 10)
            #expect(listed.batches.contains { $0.id == batch.id && $0.metadata?["precis"] == "run-2" })
            #expect(try await client.cancelBatch(batch.id).status == .cancelling)
            #expect(try await ended(batch.id, client).status == .cancelled)
        }
    }

    @Test func whatTheBatchAPIRefusesIsRefusedBeforeItIsSent() throws {
        var other = line("b")
        other.request.model = "moonshot-v1-8k"
        #expect(throws: ChatAPIError.self) { try BatchLine.jsonl([line("a"), other]) }
        #expect(throws: ChatAPIError.self) { try BatchLine.jsonl([line("a"), line("a")]) }
        var streaming = line("s")
        streaming.request.stream = true
        #expect(throws: ChatAPIError.self) { try BatchLine.jsonl([streaming]) }
        #expect(throws: ChatAPIError.self) { try Batch.validate(completionWindow: "2h", metadata: [:]) }
        #expect(throws: ChatAPIError.self) { try Batch.validate(completionWindow: "8d", metadata: [:]) }
        #expect(throws: ChatAPIError.self) {
            try Batch.validate(
                completionWindow: "24h", metadata: Dictionary(uniqueKeysWithValues: (0..<17).map { ("k\($0)", "v") }))
        }
        #expect(throws: Never.self) { try Batch.validate(completionWindow: "3d", metadata: ["precis": "x"]) }
        let jsonl = String(decoding: try BatchLine.jsonl([line("a")]), as: UTF8.self)
        #expect(
            jsonl.contains(#""custom_id":"a""#) && jsonl.contains(#""url":"/v1/chat/completions""#)
                && jsonl.contains(#""method":"POST""#))
    }

    @Test func aResultLineOfAnotherShapeFailsNamingTheLine() throws {
        let good =
            #"{"custom_id":"a","response":{"status_code":200,"body":{"model":"kimi-k2.6","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}},"error":null}"#
        #expect(try BatchResult.parse(Data(good.utf8), model: "kimi-k2.6").count == 1)
        #expect { try BatchResult.parse(Data((good + "\n{\"answer\": 1}\n").utf8), model: "kimi-k2.6") } throws: {
            String(describing: $0).contains("line 2")
        }
        let refused =
            #"{"custom_id":"b","response":{"status_code":400,"body":{"error":{"type":"invalid_request_error","message":"bad"}}},"error":null}"#
        let result = try #require(try BatchResult.parse(Data(refused.utf8), model: "kimi-k2.6").first)
        guard case .failure(let error) = result.outcome else {
            Issue.record("a 400 line is a failure")
            return
        }
        #expect(error.code == .badRequest)
    }

    @Test func theFilesAPIRefusesABatchFileThatIsNotJSONLAndAnEmptyOne() async throws {
        try await withServer(Self.quick) { client, _ in
            await #expect(throws: ChatAPIError.self) {
                try await client.uploadFile(named: "calls.txt", data: Data("x".utf8), purpose: .batch)
            }
            await #expect(throws: ChatAPIError.self) {
                try await client.uploadFile(named: "calls.jsonl", data: Data(), purpose: .batch)
            }
            await #expect(throws: ChatAPIError.self) { try await client.fileContent("file-none") }
        }
    }

    @Test func aBatchOfAModelTheBatchPathDoesNotServeFails() async throws {
        try await withServer(Self.quick) { client, _ in
            var v1 = line("a")
            v1.request.model = "moonshot-v1-8k"
            v1.request.thinking = nil
            let input = try await client.uploadFile(
                named: "calls.jsonl", data: try BatchLine.jsonl([v1]), purpose: .batch)
            #expect(try await ended(try await client.createBatch(inputFileID: input.id).id, client).status == .failed)
        }
    }
}
