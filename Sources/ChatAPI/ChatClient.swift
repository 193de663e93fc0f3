import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An OpenAI-compatible Chat Completions client for Moonshot/Kimi and any compatible server.
///
/// Every request is validated before it is sent. Every failure comes back as a ``ChatAPIError``
/// classified as retryable or final; retrying is the scheduler's job. Call ``shutdown()`` when done.
public final class ChatClient: ChatTransport, Sendable {
    public let configuration: ChatClientConfiguration
    private let http: HTTPClient

    /// Creates a client; refuses a key bound for plain HTTP off this machine.
    public init(configuration: ChatClientConfiguration) throws(ChatAPIError) {
        try configuration.checkTransport()
        self.configuration = configuration
        var config = HTTPClient.Configuration()
        // The read timeout is an idle timeout: it covers the gaps inside a stream, not the whole call.
        config.timeout = .init(connect: .init(configuration.connectTimeout), read: .init(configuration.readTimeout))
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }

    /// Closes the client's connections.
    public func shutdown() async {
        // The one failure is a client already shut down, which is what this wants.
        do { try await http.shutdown() } catch { return }
    }

    public func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        try RequestValidator.validate(request)
        let body: Data
        do { body = try JSONEncoder().encode(request) } catch {
            throw ChatAPIError(.invalidRequest, "cannot encode the request: \(error)")
        }
        return try await withDeadline(configuration.requestTimeout) {
            let response = try await self.send(.POST, "/chat/completions", body: body, stream: request.stream)
            var completion =
                try await request.stream
                ? self.readStream(response.body, model: request.model)
                : Self.decodeCompletion(try await self.collect(response.body, limit: 32 << 20), model: request.model)
            completion.rateLimit = RateLimitStatus.parse(response.headers.map { ($0.name, $0.value) })
            return completion
        }
    }

    /// The models the server lists, for callers that use the list as a hint: nil when it cannot
    /// list them (a refused key, a server without the endpoint), whose first real call then meets
    /// the same trouble and reports it.
    public func listedModels() async -> [ModelInfo]? {
        do { return try await models() } catch { return nil }
    }

    /// The models the server offers, with context windows where it gives them.
    public func models() async throws -> [ModelInfo] {
        try await withDeadline(.seconds(60)) {
            let response = try await self.send(.GET, "/models", body: nil, stream: false)
            return try Self.decodeModels(try await self.collect(response.body, limit: 8 << 20))
        }
    }

    /// Sends a request and returns the response once its status is 2xx; other statuses throw, classified.
    func send(_ method: HTTPMethod, _ path: String, body: Data?, stream: Bool) async throws -> HTTPClientResponse {
        try await send(method, url: configuration.baseURL + path, body: body, stream: stream)
    }

    /// Sends to a full URL, for the endpoints servers keep outside the API's base path.
    func send(
        _ method: HTTPMethod, url: String, body: Data?, stream: Bool,
        contentType: String = "application/json"
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "precis/0.1")
        request.headers.add(name: "Accept", value: stream ? "text/event-stream" : "application/json")
        if let key = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, deadline: .now() + .init(configuration.requestTimeout))
        } catch {
            throw Self.transportError(error)
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            // An error body that breaks off still leaves the status to classify by.
            let bytes: [UInt8]
            do { bytes = try await collect(response.body, limit: 1 << 20) } catch { bytes = [] }
            throw ErrorClassifier.error(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
        }
        return response
    }

    func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await buffer in body {
                bytes += buffer.readableBytesView
                if bytes.count > limit { throw ChatAPIError(.malformedResponse, "the answer is over \(limit) bytes") }
            }
        } catch let error as ChatAPIError {
            throw error
        } catch {
            throw Self.transportError(error)
        }
        return bytes
    }

    /// Maps connection-level failures; cancellation passes through untouched.
    static func transportError(_ error: any Error) -> any Error {
        if error is CancellationError || error is ChatAPIError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout: return ChatAPIError(.timeout, "no data from the server within the read timeout")
            case .deadlineExceeded: return ChatAPIError(.timeout, "the request passed its deadline")
            case .connectTimeout: return ChatAPIError(.connection, "could not connect within the connect timeout")
            case .cancelled: return CancellationError()
            case .remoteConnectionClosed: return ChatAPIError(.connection, "the server closed the connection")
            default: break
            }
        }
        return ChatAPIError(.connection, "connection failed: \(error)")
    }

    /// Runs `body`, failing with a timeout if it has not finished within `limit`.
    ///
    /// Every call of the client comes through here, so this is where an error's text, which may
    /// quote what the server was sent, loses the key.
    func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws
        -> T
    {
        do {
            return try await raceDeadline(limit, body)
        } catch {
            throw configuration.redactor.redact(error)
        }
    }

    private func raceDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw ChatAPIError(.timeout, "no complete answer within \(limit.components.seconds) s")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
