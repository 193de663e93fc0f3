import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A Moonshot-compatible server on 127.0.0.1 that enforces the API's rules, for tests and benchmarks.
///
/// It validates requests as Moonshot does (400s), rejects prompts over a model's window, checks the
/// key (401), applies account limits with 429 and `Retry-After`, acts out injected faults, and
/// answers with extractive "summaries" that shrink as their input shrinks, so map-reduce recurses.
public final class FakeMoonshotServer: Sendable {
    public let configuration: FakeServerConfiguration
    /// The API root to point a client at, such as `http://127.0.0.1:PORT/v1`.
    public let baseURL: String

    struct State {
        var stats = FakeServerStats()
        var faults: [FakeFault] = []
        var inFlight = 0
        var admitted: [(at: ContinuousClock.Instant, tokens: Int)] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
        var random: UInt64 = 0
        /// Prompt prefixes seen, for the prefix cache.
        var prefixes: Set<String> = []
        var files: [String: FakeFile] = [:]
        var batches: [String: FakeBatch] = [:]
        var nextID = 0
        var batchCount = 0
        /// When the simulated other client on the account sends its next request.
        var otherClientNext: ContinuousClock.Instant?
    }

    let state = Shared(State())
    private let serverChannel: any Channel
    private let acceptTask = Shared<Task<Void, Never>?>(nil)

    /// Starts a server on a free loopback port.
    public static func start(_ configuration: FakeServerConfiguration = FakeServerConfiguration()) async throws
        -> FakeMoonshotServer
    {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: child)
                }
            }
        let fake = FakeMoonshotServer(configuration: configuration, channel: server.channel)
        fake.state.withLock { $0.random = configuration.seed }
        fake.accept(server)
        return fake
    }

    private init(configuration: FakeServerConfiguration, channel: any Channel) {
        self.configuration = configuration
        serverChannel = channel
        baseURL = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/v1"
    }

    private func accept(
        _ server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    ) {
        let task = Task<Void, Never>(executorPreference: ServerExecutor.shared) {
            _ = try? await server.executeThenClose { inbound in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in inbound {
                            let id = ObjectIdentifier(connection.channel)
                            self.state.withLock { $0.connections[id] = connection.channel }
                            group.addTask {
                                await self.serve(connection)
                                _ = self.state.withLock { $0.connections.removeValue(forKey: id) }
                            }
                        }
                    } catch {}
                }
            }
        }
        acceptTask.withLock { $0 = task }
    }

    /// Stops accepting, closes open connections and waits for the server to wind down.
    public func stop() async {
        // A channel already closed (by its client, or by a fault the test injected) is what stop wants.
        do { try await serverChannel.close() } catch {}
        for channel in state.withLock({ Array($0.connections.values) }) {
            do { try await channel.close() } catch { continue }
        }
        await acceptTask.withLock { $0 }?.value
    }

    /// Queues faults for the next chat requests, one each, in order.
    public func inject(_ faults: FakeFault...) {
        state.withLock { $0.faults += faults }
    }

    /// What the server has seen so far.
    public var stats: FakeServerStats { state.withLock { $0.stats } }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        // A client that hangs up mid-request ends the connection, which is all the fake does then.
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body.clear()
                    case .body(var chunk):
                        body.writeBuffer(&chunk)
                    case .end:
                        guard let request = head else { continue }
                        let keepOpen = try await route(request, body: Array(body.readableBytesView), outbound: outbound)
                        if !keepOpen { return }
                    }
                }
            }
        } catch {
            return
        }
    }

    /// Answers one request; false closes the connection.
    private func route(
        _ head: HTTPRequestHead, body: [UInt8], outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws -> Bool {
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        let writer = ResponseWriter(outbound: outbound, state: state)
        if let key = configuration.apiKey, head.headers["authorization"].first != "Bearer \(key)" {
            if path.hasSuffix("/chat/completions") { state.withLock { $0.stats.chatRequests += 1 } }
            let sent = head.headers["authorization"].first ?? ""
            let message =
                configuration.echoesCredentials
                ? "Invalid Authentication: \(sent) (key \(sent.replacingOccurrences(of: "Bearer ", with: "")) is not valid)"
                : "Invalid Authentication"
            try await writer.error(401, type: "invalid_authentication_error", message)
            return true
        }
        switch (head.method, path) {
        case (.GET, "/v1/models"):
            let listed = configuration.models + configuration.refusedModels.map { ($0, 262_144) }
            let data = listed.map { model -> [String: Any] in
                var entry: [String: Any] = ["id": model.id, "object": "model", "created": 0, "owned_by": "moonshot"]
                if configuration.reportsContextLength { entry["context_length"] = model.window }
                return entry
            }
            try await writer.json(200, ["object": "list", "data": data])
            return true
        case (.POST, "/v1/tokenizers/estimate-token-count"):
            guard let object = JSONBody.object(body),
                let messages = object["messages"] as? [[String: Any]]
            else {
                try await writer.error(400, type: "invalid_request_error", "Invalid request: malformed body")
                return true
            }
            let total = configuration.promptTokens(messages.map { $0["content"] as? String ?? "" })
            try await writer.json(200, ["code": 0, "data": ["total_tokens": total], "scode": "0x0", "status": true])
            return true
        case (.POST, "/v1/chat/completions"):
            return try await chat(body, writer: writer)
        case (_, let files) where files == "/v1/files" || files.hasPrefix("/v1/files/"):
            try await self.files(head, path: path, body: body, writer: writer)
            return true
        case (_, let batches) where batches == "/v1/batches" || batches.hasPrefix("/v1/batches/"):
            try await self.batches(head, path: path, body: body, writer: writer)
            return true
        default:
            try await writer.error(404, type: "resource_not_found_error", "Not found: \(head.method.rawValue) \(path)")
            return true
        }
    }
}
