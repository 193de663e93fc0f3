import AsyncHTTPClient
import ChatAPI
import Foundation
import NIOCore
import PrecisTesting
import Testing

/// Kimi's platform as of December 2026: K3 and K2.6, `max_completion_tokens`, `reasoning_effort`,
/// partial mode, retired ids, and the `X-RateLimit-*` headers, on both sides of the wire.
struct KimiPlatformTests {
    func request(_ model: String, maxTokens: Int = 600, effort: ReasoningEffort? = nil, prefix: String? = nil)
        -> ChatRequest
    {
        var messages: [ChatMessage] = [
            .system("You summarize."),
            .user(
                "Summarize.\n\nThe keeper climbed the tower. The lamp was lit. Ships passed safely all night. The storm broke at dawn."
            )
        ]
        if let prefix { messages.append(.prefix(prefix)) }
        return ChatRequest(model: model, messages: messages, maxTokens: maxTokens, reasoningEffort: effort)
    }

    func body(_ request: ChatRequest) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as? [String: Any])
    }

    @Test func kimiModelsGetMaxCompletionTokensAndLocalServersMaxTokens() throws {
        for model in ["kimi-k2.6", "kimi-k3", "kimi-k3.1-pro", "kimi-k2.7-code", "kimi-k9-preview"] {
            let sent = try body(request(model))
            #expect(sent["max_completion_tokens"] as? Int == 600, "\(model)")
            #expect(sent["max_tokens"] == nil, "\(model)")
        }
        for model in ["moonshot-v1-8k", "smollm2", "qwen2.5:7b"] {
            let sent = try body(request(model))
            #expect(sent["max_tokens"] as? Int == 600, "\(model)")
            #expect(sent["max_completion_tokens"] == nil, "\(model)")
        }
    }

    @Test func anUnknownKimiIdIsSentNoSamplingFieldAndRoomToReason() {
        let family = ModelFamily.of("kimi-k9-preview")
        #expect(family.sampling == .fixed)
        #expect(family.temperature(0.3) == nil)
        #expect(family.thinks(nil), "a new model may reason: give it room")
        #expect(family.limitField == .maxCompletionTokens)
        #expect(ModelFamily.of("llama-3.1-8b").temperature(0.3) == 0.3, "a local model keeps its sampling")
    }

    @Test func retiredIdsAreRefusedBeforeSendingAndNameTheirSuccessor() {
        for model in ["kimi-k2.5", "kimi-k2-0905-preview", "kimi-k2-turbo-preview", "kimi-k2-thinking", "kimi-latest"] {
            #expect(throws: ChatAPIError.self, "\(model)") { try RequestValidator.validate(request(model)) }
            let refusal = ModelFamily.refusal(of: model) ?? ""
            #expect(refusal.contains("kimi-k2.6") && refusal.contains("precis models"), "\(refusal)")
        }
        #expect(ModelFamily.refusal(of: "kimi-k2.6") == nil)
        #expect(ModelFamily.refusal(of: "kimi-k3") == nil)
    }

    @Test func reasoningEffortGoesOnlyToTheModelsThatTakeIt() throws {
        #expect(try body(request("kimi-k3", effort: .low))["reasoning_effort"] as? String == "low")
        #expect(throws: ChatAPIError.self) { try RequestValidator.validate(request("kimi-k2.6", effort: .low)) }
        var switched = request("kimi-k3")
        switched.thinking = false
        #expect(throws: ChatAPIError.self, "K3 takes no thinking field") { try RequestValidator.validate(switched) }
    }

    @Test func thePlatformRefusesWhatEachFamilyRefusesAndIgnoresWhatItDoesNotTake() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        func post(_ json: String) async throws -> Int {
            var post = HTTPClientRequest(url: server.baseURL + "/chat/completions")
            post.method = .POST
            post.headers.add(name: "Authorization", value: "Bearer sk-test")
            post.headers.add(name: "Content-Type", value: "application/json")
            post.body = .bytes(ByteBuffer(string: json))
            return Int(try await HTTPClient.shared.execute(post, timeout: .seconds(30)).status.code)
        }
        let hi = #""messages":[{"role":"user","content":"hi"}]"#
        #expect(try await post(#"{"model":"kimi-k3",\#(hi),"thinking":{"type":"enabled"}}"#) == 400)
        #expect(try await post(#"{"model":"kimi-k3",\#(hi),"reasoning_effort":"medium"}"#) == 400)
        #expect(try await post(#"{"model":"kimi-k3",\#(hi),"temperature":0.3}"#) == 400)
        #expect(try await post(#"{"model":"kimi-k2.7-code",\#(hi),"thinking":{"type":"disabled"}}"#) == 400)
        #expect(try await post(#"{"model":"kimi-k2.5",\#(hi)}"#) == 404)
        #expect(server.stats.ignoredFields.isEmpty)
        #expect(
            try await post(#"{"model":"kimi-k3",\#(hi),"reasoning_effort":"low","max_completion_tokens":900}"#) == 200)
        #expect(try await post(#"{"model":"kimi-k2.6",\#(hi),"max_tokens":900}"#) == 200)
        #expect(server.stats.ignoredFields == ["max_tokens"], "a wrong field name fails quietly: the fake says so")
    }

    @Test func aModelThePlatformDoesNotServeIsAStopNamedAsSuch() async throws {
        try await withServer { client, server in
            var retired = request("kimi-k9-gone")
            retired.maxTokens = 100
            let error = await #expect(throws: ChatAPIError.self) { try await client.complete(retired) }
            #expect(error?.code == .modelRetired)
            #expect(error?.disposition == .stopRun)
            #expect(server.stats.completed == 0)
        }
    }

    @Test func partialModeGoesOnFromThePrefixAndLeavesItOut() async throws {
        try await withServer { client, server in
            let whole = try await client.complete(request("kimi-k2.6"))
            let prefix = String(whole.text.prefix(whole.text.count / 2))
            let rest = try await client.complete(request("kimi-k2.6", prefix: prefix))
            #expect(prefix + rest.text == whole.text)
            #expect(server.stats.continuations == 1)
        }
        var plain = FakeServerConfiguration()
        plain.partialMode = false
        try await withServer(plain) { client, _ in
            let whole = try await client.complete(request("kimi-k2.6"))
            let again = try await client.complete(request("kimi-k2.6", prefix: String(whole.text.prefix(40))))
            #expect(again.text == whole.text, "a server without it answers anew")
        }
    }

    @Test func theRateLimitHeadersAreReadWhenAServerSendsThem() async throws {
        var config = FakeServerConfiguration(rpm: 10)
        config.rateLimitHeaders = true
        try await withServer(config) { client, _ in
            let first = try await client.complete(request("kimi-k2.6"))
            let status = try #require(first.rateLimit)
            #expect(status.limit == 10 && status.remaining == 9)
            #expect(status.reset > .zero && status.reset <= .seconds(60))
        }
        try await withServer { client, _ in
            let plain = try await client.complete(request("kimi-k2.6"))
            #expect(plain.rateLimit == nil, "and never needed")
        }
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        #expect(
            RateLimitStatus.parse([("X-RateLimit-Remaining", "3"), ("X-RateLimit-Reset", "1.5")])?.reset
                == .milliseconds(1500))
        #expect(
            RateLimitStatus.parse([("x-ratelimit-remaining", "3"), ("x-ratelimit-reset", "250ms")])?.reset
                == .milliseconds(250))
        #expect(
            RateLimitStatus.parse([("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "2000000012")], now: now)?
                .reset == .seconds(12))
        #expect(RateLimitStatus.parse([("X-RateLimit-Remaining", "3")]) == nil, "no reset, no budget")
    }
}
