import AsyncHTTPClient
import Foundation
import NIOCore
import PrecisTesting
import Testing

@testable import ChatAPI

/// llama.cpp's server as it really behaves (docs/local-models.md, "Quirks"), met by the chat client.
@Suite(.serialized, .enabled(if: LlamaServer.available, "make test-integration starts the llama.cpp server"))
struct LlamaCppQuirkTests {
    @Test func aStreamCutWithoutFinishReasonIsARetryableFailureNotASummary() async throws {
        // With --interrupt_requests True, a newer request ends a running stream with [DONE] and no finish_reason.
        let client = try LlamaServer.client(try #require(LlamaServer.keyedURL), key: LlamaServer.key)
        defer { Task { await client.shutdown() } }
        let cut = Task { try await client.complete(LlamaServer.story(1500, stream: true)) }
        try await Task.sleep(for: .seconds(1))
        let newer = try await client.complete(LlamaServer.story(8, stream: false, about: "a cat"))
        #expect(newer.finishReason == "length")
        let error = try await #require(throws: ChatAPIError.self) { try await cut.value }
        #expect(error.code == .cutStream)
        #expect(error.disposition == .retry)
        #expect(error.message.contains("finish_reason"), "\(error)")

        // Sent again with the server free, the same request is answered whole.
        let again = try await client.complete(LlamaServer.story(32, stream: true))
        #expect(again.finishReason == "length")
        #expect(!again.text.isEmpty)
    }

    @Test func anEmptyStreamFromAnOverlongPromptIsAFailure() async throws {
        let client = try LlamaServer.client(try #require(LlamaServer.baseURL))
        defer { Task { await client.shutdown() } }
        // Over the window, the streaming answer is a 200 with an empty body.
        let long = String(repeating: "The cat sat on the mat by the door. ", count: 300)
        let error = try await #require(throws: ChatAPIError.self) {
            try await client.complete(LlamaServer.story(16, stream: true, about: long))
        }
        #expect(error.code == .cutStream)
        #expect(error.message.contains("empty stream"), "\(error)")

        // Not streaming, the same prompt is the 400 for length it is, which the tree answers by
        // splitting the call. (A new client: the server may reset the connection that carried the
        // empty stream, which is a retryable failure of its own.)
        let fresh = try LlamaServer.client(try #require(LlamaServer.baseURL))
        defer { Task { await fresh.shutdown() } }
        let plain = try await #require(throws: ChatAPIError.self) {
            try await fresh.complete(LlamaServer.story(16, stream: false, about: long))
        }
        #expect(plain.code == .contextLength)
        #expect(plain.disposition == .fail)
        #expect(plain.message.contains("maximum context length is \(LlamaServer.window)"), "\(plain)")
    }

    @Test func aValidationFailureAnsweredWith500IsReportedWithTheServersMessage() async throws {
        // precis's own requests pass the server's schema, so the refused one is sent raw.
        let url = try #require(LlamaServer.baseURL) + "/chat/completions"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(string: #"{"model":"local","messages":[{"role":"user","content":"hi"}],"temperature":"warm"}"#))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status.code == 500)

        let error = ErrorClassifier.error(
            status: Int(response.status.code), headers: [], body: Array(body.readableBytesView))
        #expect(error.code == .badRequest, "a schema's refusal cannot succeed when sent again")
        #expect(error.disposition == .fail)
        #expect(error.message.contains("validation error"), "\(error)")
        #expect(error.message.contains("temperature"), "\(error)")
        #expect(!error.message.contains("File \""), "the server's traceback is left out: \(error)")
    }

    @Test func aWrongKeyAnsweredInDetailShapeIsKeyRefused() async throws {
        let client = try LlamaServer.client(try #require(LlamaServer.keyedURL), key: "not-the-key")
        defer { Task { await client.shutdown() } }
        let error = try await #require(throws: ChatAPIError.self) {
            try await client.complete(LlamaServer.story(8, stream: false))
        }
        #expect(error.code == .authentication)
        #expect(error.disposition == .stopRun)
        #expect(error.message == "the API key was refused: Invalid API key")
    }

    @Test func aQueuedStreamKeptAliveByPingCommentsOutlastsTheIdleTimeout() async throws {
        // The server pings queued streams every 15 s; the idle timeout is 20 s, the wait far longer.
        let url = try #require(LlamaServer.baseURL)
        let blockers = try LlamaServer.client(url)
        let client = try LlamaServer.client(url, readTimeout: .seconds(20))
        defer {
            Task {
                await blockers.shutdown()
                await client.shutdown()
            }
        }
        // Answers of 600 tokens queued ahead (some seconds each for SmolLM2): together longer than the
        // idle timeout, each within the window and within its own client's timeout.
        let queue = (0..<4).map { _ in Task { try await blockers.complete(LlamaServer.story(600, stream: false)) } }
        try await Task.sleep(for: .milliseconds(500))
        let started = ContinuousClock.now
        let answer = try await client.complete(LlamaServer.story(16, stream: true, about: "a dog"))
        let waited = ContinuousClock.now - started
        #expect(answer.finishReason == "length")
        #expect(answer.usage == nil, "llama.cpp's streams carry no usage")
        for blocker in queue { _ = try await blocker.value }
        // Only a wait longer than the idle timeout proves the pings kept the stream open.
        #expect(waited > .seconds(20), "the queue ahead was too short to test the idle timeout: \(waited)")
        print(
            "llama.cpp: a queued stream waited \(waited.components.seconds) s on ping comments under a 20 s idle timeout"
        )
    }
}
