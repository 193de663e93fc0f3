import Foundation
import NIOHTTP1

extension ChatClient {
    /// Creates a batch over an uploaded input file (`POST /batches`).
    public func createBatch(inputFileID: String, completionWindow: String = "24h", metadata: [String: String] = [:])
        async throws -> Batch
    {
        try Batch.validate(completionWindow: completionWindow, metadata: metadata)
        let body = try JSONSerialization.data(
            withJSONObject: [
                "input_file_id": inputFileID, "endpoint": "/v1/chat/completions", "completion_window": completionWindow,
                "metadata": metadata
            ] as [String: Any], options: [.sortedKeys])
        return try await batchCall(.POST, "/batches", body: body)
    }

    /// A batch as it stands now (`GET /batches/{id}`).
    public func batch(_ id: String) async throws -> Batch {
        try await batchCall(.GET, "/batches/\(id)")
    }

    /// One page of the account's batches, newest first (`GET /batches?after=&limit=`).
    public func batches(after: String? = nil, limit: Int = 20) async throws -> (batches: [Batch], hasMore: Bool) {
        struct Page: Decodable {
            var data: [Batch]
            var hasMore: Bool?
            enum CodingKeys: String, CodingKey {
                case data
                case hasMore = "has_more"
            }
        }
        let query = "?limit=\(limit)" + (after.map { "&after=\($0)" } ?? "")
        return try await withDeadline(.seconds(60)) {
            let response = try await self.send(.GET, "/batches" + query, body: nil, stream: false)
            let page = try Self.decode(
                Page.self, try await self.collect(response.body, limit: 16 << 20), what: "the batch list")
            return (page.data, page.hasMore ?? false)
        }
    }

    /// Asks the server to stop a batch (`POST /batches/{id}/cancel`); what it finished is kept.
    public func cancelBatch(_ id: String) async throws -> Batch {
        try await batchCall(.POST, "/batches/\(id)/cancel", body: Data("{}".utf8))
    }

    private func batchCall(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> Batch {
        try await withDeadline(.seconds(60)) {
            let response = try await self.send(method, path, body: body, stream: false)
            return try Self.decode(Batch.self, try await self.collect(response.body, limit: 1 << 20), what: "the batch")
        }
    }
}
