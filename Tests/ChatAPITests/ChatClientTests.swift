import ChatAPI
import Foundation
import PrecisTesting
import Testing

/// The chat client against the fake Moonshot server on loopback.
struct ChatClientTests {
    static let text = String(
        repeating: "The keeper climbed the tower and wrote down what she saw. 运河边的书店开张了。", count: 20)

    func request(stream: Bool = false, maxTokens: Int = 300) -> ChatRequest {
        ChatRequest(
            model: "moonshot-v1-8k", messages: [.system("Summarize."), .user("Summarize this.\n\n" + Self.text)],
            temperature: 0.3, maxTokens: maxTokens, stream: stream, contextWindow: 8192, estimatedPromptTokens: 1200)
    }

    @Test(arguments: [false, true])
    func completesAndReportsTheServersUsage(stream: Bool) async throws {
        try await withServer { client, server in
            let completion = try await client.complete(request(stream: stream))
            #expect(completion.finishReason == "stop")
            #expect(!completion.text.isEmpty)
            #expect(completion.text.contains("运河") || completion.text.contains("keeper"))
            let stats = server.stats
            #expect(
                completion.usage
                    == ChatCompletion.Usage(promptTokens: stats.promptTokens, completionTokens: stats.completionTokens))
            #expect(stats.streamed == (stream ? 1 : 0))
        }
    }

    @Test(arguments: [false, true])
    func reportsAnAnswerCutAtMaxTokens(stream: Bool) async throws {
        try await withServer { client, _ in
            let completion = try await client.complete(request(stream: stream, maxTokens: 20))
            #expect(completion.isTruncated)
        }
    }

    @Test(arguments: [
        (FakeFault.serverError, ChatAPIError.Code.server, ChatAPIError.Disposition.retry),
        (.badGateway, .server, .retry),
        (.gatewayTimeout, .timeout, .retry),
        (.rateLimited(retryAfter: 2), .rateLimited, .retryAfterPause),
        (.overloaded, .overloaded, .retryAfterPause),
        (.quotaExceeded, .quotaExceeded, .stopRun),
        (.contentFilter, .contentFilter, .fail),
        (.drop, .connection, .retry),
        (.malformedJSON, .malformedResponse, .retry),
        (.emptyBody, .malformedResponse, .retry),
        (.detailUnauthorized, .authentication, .stopRun)
    ])
    func classifiesEveryFaultOfANonStreamingCall(
        fault: FakeFault, code: ChatAPIError.Code, disposition: ChatAPIError.Disposition
    ) async throws {
        try await withServer { client, server in
            server.inject(fault)
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(request()) }
            #expect(error?.code == code)
            #expect(error?.disposition == disposition)
            if case .rateLimited(let seconds) = fault { #expect(error?.retryAfter == .seconds(seconds)) }
            // The next call, with no fault queued, goes through: one failure does not poison the client.
            _ = try await client.complete(request())
        }
    }

    @Test(arguments: [
        (FakeFault.cutStream, ChatAPIError.Code.cutStream),
        (.noFinishReason, .cutStream),
        (.emptyBody, .cutStream),
        (.malformedJSON, .malformedResponse),
        (.drop, .connection),
        (.overloaded, .overloaded)
    ])
    func classifiesEveryFaultOfAStream(fault: FakeFault, code: ChatAPIError.Code) async throws {
        try await withServer { client, server in
            server.inject(fault)
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(request(stream: true)) }
            #expect(error?.code == code)
            #expect(error?.disposition == (code == .overloaded ? .retryAfterPause : .retry))
        }
    }

    @Test func aRefusedKeyIsFinalAndSaysSo() async throws {
        try await withServer(key: "sk-wrong") { client, _ in
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(request()) }
            #expect(error?.code == .authentication)
            #expect(error?.disposition == .stopRun)
            #expect(error?.description.contains("refused") == true)
            #expect(error?.description.contains("sk-wrong") == false)
        }
    }

    @Test func aRequestOverTheWindowNeverLeavesTheMachine() async throws {
        try await withServer { client, server in
            var tooBig = request()
            tooBig.estimatedPromptTokens = 8000
            tooBig.maxTokens = 1000
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(tooBig) }
            #expect(error?.code == .invalidRequest)
            #expect(server.stats.chatRequests == 0)
        }
    }

    @Test func theServerRejectsWhatOurEstimateMissedWithA400() async throws {
        try await withServer { client, _ in
            var lying = request()
            lying.messages[1].content = String(repeating: "词语", count: 8000)
            lying.estimatedPromptTokens = 10
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(lying) }
            #expect(error?.code == .contextLength, "a 400 for length is told apart, so the tree can split the call")
            #expect(error?.disposition == .fail)
            #expect(error?.message.contains("exceeded model token limit") == true)
        }
    }

    @Test func listsModelsAndCountsTokens() async throws {
        try await withServer { client, _ in
            let models = try await client.models()
            #expect(models.map(\.id).contains("moonshot-v1-32k"))
            #expect(models.first { $0.id == "moonshot-v1-32k" }?.contextLength == 32_768)
            let count = try await client.estimateTokenCount(model: "moonshot-v1-8k", messages: [.user("hello world")])
            #expect(count == FakeTokenizer.count("hello world") + 3)
        }
    }

    @Test func modelsWithoutContextLengthFallBackToTheKnownWindows() async throws {
        try await withServer(FakeServerConfiguration(reportsContextLength: false)) { client, _ in
            let models = try await client.models()
            #expect(models.first { $0.id == "moonshot-v1-128k" }?.contextLength == 131_072)
        }
    }

    @Test func aSilentServerTripsTheReadTimeout() async throws {
        try await withServer(readTimeout: .milliseconds(300)) { client, server in
            server.inject(.delay(.seconds(3)))
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(request()) }
            #expect(error?.code == .timeout)
            #expect(error?.disposition == .retry)
        }
    }

    @Test func theOverallDeadlineCutsALongCall() async throws {
        try await withServer(readTimeout: .seconds(30), requestTimeout: .milliseconds(400)) { client, server in
            server.inject(.delay(.seconds(3)))
            // Had the deadline not cut it, the call would have ended with the server's answer instead.
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(request()) }
            #expect(error?.code == .timeout)
        }
    }

    @Test func cancellationStopsACallAtOnce() async throws {
        try await withServer { client, server in
            server.inject(.delay(.seconds(5)))
            let call = Task { try await client.complete(request()) }
            try await Task.sleep(for: .milliseconds(200))
            call.cancel()
            // Cancelled, not answered: the server's answer would have made it succeed.
            guard case .failure = await call.result else {
                Issue.record("the cancelled call completed")
                return
            }
        }
    }
}
