import Foundation
import NIOHTTP1

extension FakeMoonshotServer {
    /// A batch on the fake Batch API, moving through its states as time passes.
    struct FakeBatch: Sendable {
        var id: String
        var ordinal: Int
        var inputFileID: String
        var window: String
        var metadata: [String: String]
        var model: String
        var lines: [[UInt8]]
        var created: ContinuousClock.Instant
        var createdAt: Int
        var status = "validating"
        var completed = 0, failed = 0
        var outputFileID: String?
        var errorFileID: String?
        var cancelAt: ContinuousClock.Instant?

        var object: [String: Any] {
            var object: [String: Any] = [
                "id": id, "object": "batch", "endpoint": "/v1/chat/completions", "input_file_id": inputFileID,
                "completion_window": window, "status": status, "created_at": createdAt, "metadata": metadata,
                "request_counts": ["total": lines.count, "completed": completed, "failed": failed]
            ]
            if let outputFileID { object["output_file_id"] = outputFileID }
            if let errorFileID { object["error_file_id"] = errorFileID }
            return object
        }
    }

    /// `/v1/batches…`: create, get, list and cancel, with `validating → in_progress → finalizing →
    /// completed` each taking `batchPhase`, failed lines at `batchFailureRate`, and the batches
    /// numbered in `expiringBatches` expiring halfway.
    func batches(_ head: HTTPRequestHead, path: String, body: [UInt8], writer: ResponseWriter) async throws {
        let parts = path.split(separator: "/").map(String.init)  // ["v1", "batches", id?, "cancel"?]
        func bad(_ message: String) async throws {
            try await writer.error(400, type: "invalid_request_error", "Invalid request: \(message)")
        }
        switch (head.method, parts.count) {
        case (.POST, 2):
            guard let object = JSONBody.object(body),
                let input = object["input_file_id"] as? String, let window = object["completion_window"] as? String
            else {
                return try await bad("input_file_id and completion_window are required")
            }
            guard object["endpoint"] as? String == "/v1/chat/completions" else {
                return try await bad("endpoint must be /v1/chat/completions")
            }
            guard let hours = Self.hours(window), (12...168).contains(hours) else {
                return try await bad("completion_window must be 12h to 7d")
            }
            let metadata = object["metadata"] as? [String: String] ?? [:]
            guard metadata.count <= 16, metadata.allSatisfy({ $0.key.count <= 64 && $0.value.count <= 512 }) else {
                return try await bad("metadata holds at most 16 pairs of 64-character keys and 512-character values")
            }
            guard let file = state.withLock({ $0.files[input] }), file.purpose == "batch" else {
                return try await bad("no batch file \(input)")
            }
            let lines = file.data.split(separator: 0x0A).map(Array.init)
            var ids: Set<String> = []
            var models: Set<String> = []
            for line in lines {
                guard let entry = JSONBody.object(line), let id = entry["custom_id"] as? String,
                    let request = entry["body"] as? [String: Any], let model = request["model"] as? String
                else {
                    return try await bad("every line needs custom_id, method, url and body")
                }
                guard ids.insert(id).inserted else { return try await bad("custom_id \(id) is not unique") }
                models.insert(model)
            }
            guard models.count == 1, let model = models.first else {
                return try await bad("all requests in a batch must use the same model")
            }
            let batch = state.withLock { s -> FakeBatch in
                s.nextID += 1
                s.batchCount += 1
                let batch = FakeBatch(
                    id: "batch-\(s.nextID)", ordinal: s.batchCount, inputFileID: input, window: window,
                    metadata: metadata,
                    model: model, lines: lines, created: .now, createdAt: 1_760_000_000 + s.nextID)
                s.batches[batch.id] = batch
                s.stats.batchesCreated += 1
                return batch
            }
            try await writer.json(200, batch.object)
        case (.GET, 2):
            let query = head.uri.split(separator: "?").dropFirst().first.map(String.init) ?? ""
            let pairs = Dictionary(
                query.split(separator: "&").compactMap { pair -> (String, String)? in
                    let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    return kv.count == 2 ? (kv[0], kv[1]) : nil
                }, uniquingKeysWith: { $1 })
            let all = state.withLock { $0.batches.keys }.map { advance($0) }.compactMap { $0 }.sorted {
                $0.ordinal > $1.ordinal
            }
            let after = pairs["after"].flatMap { id in all.firstIndex { $0.id == id } }.map { $0 + 1 } ?? 0
            let limit = Int(pairs["limit"] ?? "") ?? 20
            let page = Array(all.dropFirst(after).prefix(limit))
            try await writer.json(
                200, ["object": "list", "data": page.map(\.object), "has_more": after + page.count < all.count])
        case (.GET, 3):
            guard let batch = advance(parts[2]) else {
                return try await writer.error(404, type: "resource_not_found_error", "Not found the batch \(parts[2])")
            }
            try await writer.json(200, batch.object)
        case (.POST, 4) where parts[3] == "cancel":
            let found = state.withLock { s -> Bool in
                guard var batch = s.batches[parts[2]] else { return false }
                if !["completed", "failed", "expired", "cancelled"].contains(batch.status), batch.cancelAt == nil {
                    batch.cancelAt = .now
                    batch.status = "cancelling"
                    s.batches[batch.id] = batch
                }
                return true
            }
            guard found, let batch = advance(parts[2]) else {
                return try await writer.error(404, type: "resource_not_found_error", "Not found the batch \(parts[2])")
            }
            try await writer.json(200, batch.object)
        default:
            try await writer.error(404, type: "resource_not_found_error", "Not found: \(head.method.rawValue) \(path)")
        }
    }

    /// The batch with `id` moved on to where time has brought it; at its end its lines are answered
    /// and written to its output and error files.
    private func advance(_ id: String) -> FakeBatch? {
        guard var batch = state.withLock({ $0.batches[id] }) else { return nil }
        guard !["completed", "failed", "expired", "cancelled"].contains(batch.status) else { return batch }
        let phase = configuration.batchPhase
        let elapsed = ContinuousClock.now - batch.created
        let supported = batch.model.hasPrefix("kimi-k2.6") || batch.model.hasPrefix("kimi-k2.7")
        if let cancelAt = batch.cancelAt {
            if ContinuousClock.now - cancelAt >= configuration.batchCancelTime {
                finish(
                    &batch, status: "cancelled", lines: cancelAt - batch.created >= phase ? batch.lines.count / 2 : 0)
            }
        } else if elapsed >= phase && !supported {
            batch.status = "failed"
        } else if configuration.expiringBatches.contains(batch.ordinal) && elapsed >= phase * 2 {
            finish(&batch, status: "expired", lines: batch.lines.count / 2)
        } else if elapsed >= phase * 3 {
            finish(&batch, status: "completed", lines: batch.lines.count)
        } else {
            batch.status = elapsed >= phase * 2 ? "finalizing" : elapsed >= phase ? "in_progress" : "validating"
        }
        let advanced = batch
        state.withLock { $0.batches[id] = advanced }
        return advanced
    }

    /// Answers the first `lines` lines as the chat endpoint would, and files the results.
    private func finish(_ batch: inout FakeBatch, status: String, lines count: Int) {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        for line in batch.lines.prefix(count) {
            let entry = JSONBody.object(line) ?? [:]
            let customID = entry["custom_id"] as? String ?? ""
            let body = JSONBody.bytes(entry["body"] ?? [String: Any]())
            var result: [String: Any] = ["id": "batch_req_\(UUID().uuidString.prefix(8))", "custom_id": customID]
            if drawBatchFailure() {
                result["response"] = NSNull()
                result["error"] = ["code": "server_error", "message": "the request failed inside the batch"]
                errors += Self.jsonLine(result)
                batch.failed += 1
                continue
            }
            switch validate(body) {
            case .failure(let refusal):
                result["response"] = [
                    "status_code": refusal.status, "request_id": customID,
                    "body": ["error": ["type": refusal.type, "message": refusal.message]]
                ]
                result["error"] = NSNull()
                errors += Self.jsonLine(result)
                batch.failed += 1
            case .success(let call):
                let answer = self.answer(call)
                result["response"] = [
                    "status_code": 200, "request_id": customID, "body": completionObject(call, answer)
                ]
                result["error"] = NSNull()
                output += Self.jsonLine(result)
                record(
                    call, completionTokens: answer.completionTokens, reasoningTokens: answer.reasoningTokens,
                    cachedTokens: answer.cachedTokens)
                state.withLock {
                    $0.stats.batchLines += 1
                    $0.stats.batchPromptTokens += call.promptTokens
                    $0.stats.batchCompletionTokens += answer.completionTokens
                    $0.stats.batchCachedTokens += answer.cachedTokens
                }
                batch.completed += 1
            }
        }
        if !output.isEmpty {
            batch.outputFileID = addFile(named: "\(batch.id)_output.jsonl", purpose: "batch_output", data: output)
        }
        if !errors.isEmpty {
            batch.errorFileID = addFile(named: "\(batch.id)_error.jsonl", purpose: "batch_output", data: errors)
        }
        batch.status = status
    }

    private func drawBatchFailure() -> Bool {
        guard configuration.batchFailureRate > 0 else { return false }
        return state.withLock { s in
            s.random = s.random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(s.random >> 11) / Double(1 << 53) < configuration.batchFailureRate
        }
    }

    private static func jsonLine(_ object: [String: Any]) -> [UInt8] {
        JSONBody.bytes(object, sorted: true) + [0x0A]
    }

    static func hours(_ window: String) -> Int? {
        guard let unit = window.last, let count = Int(window.dropLast()), count > 0 else { return nil }
        return unit == "h" ? count : unit == "d" ? count * 24 : nil
    }
}
