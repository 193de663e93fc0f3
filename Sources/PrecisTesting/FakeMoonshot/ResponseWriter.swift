import Foundation
import NIOCore
import NIOHTTP1

/// Writes the fake server's HTTP answers and counts their statuses.
struct ResponseWriter {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    let state: Shared<FakeMoonshotServer.State>

    func json(_ status: Int, _ object: Any, headers extra: [(String, String)] = []) async throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try await raw(status, Array(data), contentType: "application/json", headers: extra)
    }

    func error(_ status: Int, type: String, _ message: String, headers: [(String, String)] = []) async throws {
        try await json(status, ["error": ["type": type, "message": message]], headers: headers)
    }

    func raw(_ status: Int, _ body: [UInt8], contentType: String, headers extra: [(String, String)] = []) async throws {
        state.withLock { $0.stats.statuses[status, default: 0] += 1 }
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", "\(body.count)")])
        for (name, value) in extra { headers.add(name: name, value: value) }
        try await outbound.write(
            .head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers)))
        if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
        try await outbound.write(.end(nil))
    }

    /// Starts a chunked event stream; each `send` goes out as its own HTTP chunk.
    func startStream(headers extra: [(String, String)] = []) async throws {
        state.withLock { $0.stats.statuses[200, default: 0] += 1 }
        var headers = HTTPHeaders([("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")])
        for (name, value) in extra { headers.add(name: name, value: value) }
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
    }

    /// Sends bytes in pieces of `piece` bytes, so lines and multi-byte characters split across reads.
    func send(_ bytes: [UInt8], piece: Int = 7) async throws {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + piece)
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes[start..<end]))))
            start = end
        }
    }

    func endStream() async throws {
        try await outbound.write(.end(nil))
    }
}
