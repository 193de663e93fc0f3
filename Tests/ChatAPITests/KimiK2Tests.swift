import AsyncHTTPClient
import ChatAPI
import Foundation
import NIOCore
import PrecisTesting
import Testing

/// Kimi's K2 models as the platform serves them: the thinking switch, `reasoning_content` apart
/// from the answer, reasoning and cached tokens in `usage`, and the sampling fields K2.6 fixes.
struct KimiK2Tests {

    func request(_ model: String = "kimi-k2.6", thinking: Bool? = nil, stream: Bool = false, maxTokens: Int = 2000)
        -> ChatRequest
    {
        ChatRequest(
            model: model,
            messages: [
                .system("You summarize."),
                .user("Summarize.\n\nThe keeper climbed the tower. The lamp was lit. Ships passed safely all night.")
            ],
            maxTokens: maxTokens, stream: stream, thinking: thinking)
    }

    @Test(arguments: [false, true])
    func aThinkingAnswerKeepsItsReasoningApartFromItsContent(stream: Bool) async throws {
        try await withServer { client, server in
            let completion = try await client.complete(request(stream: stream))
            #expect(!completion.reasoning.isEmpty)
            #expect(!completion.text.isEmpty)
            #expect(!completion.text.contains("main points"), "reasoning never reaches the answer")
            #expect(completion.reasoning.contains("main points"))
            let usage = try #require(completion.usage)
            #expect(usage.reasoningTokens == server.stats.reasoningTokens)
            #expect(usage.completionTokens == server.stats.completionTokens)
            #expect((usage.reasoningTokens ?? 0) < usage.completionTokens)
        }
    }

    @Test func thinkingDisabledGetsNoReasoningAndAV1ModelNeverThinks() async throws {
        try await withServer { client, server in
            let off = try await client.complete(request(thinking: false))
            #expect(off.reasoning.isEmpty)
            #expect(off.usage?.reasoningTokens == nil)
            let v1 = try await client.complete(request("moonshot-v1-8k"))
            #expect(v1.reasoning.isEmpty)
            #expect(server.stats.reasoningTokens == 0)
        }
    }

    @Test func aRepeatedSystemMessageIsServedFromThePrefixCache() async throws {
        try await withServer { client, server in
            let first = try await client.complete(request(thinking: false))
            let second = try await client.complete(request(thinking: false))
            #expect(first.usage?.cachedTokens == 0)
            #expect((second.usage?.cachedTokens ?? 0) > 0)
            #expect(second.usage?.cachedTokens == server.stats.cachedTokens)
        }
    }

    @Test func theValidatorAndThePlatformRefuseWhatK26Fixes() async throws {
        var tempered = request()
        tempered.temperature = 0.3
        #expect(throws: ChatAPIError.self) { try RequestValidator.validate(tempered) }
        var switched = request("moonshot-v1-8k")
        switched.thinking = true
        #expect(throws: ChatAPIError.self) { try RequestValidator.validate(switched) }

        // The fake platform refuses them too, so a rule the client forgets shows up as a 400.
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        for body in [
            #"{"model":"kimi-k2.6","messages":[{"role":"user","content":"hi"}],"temperature":0.3}"#,
            #"{"model":"kimi-k2.6","messages":[{"role":"user","content":"hi"}],"top_p":0.5}"#,
            #"{"model":"moonshot-v1-8k","messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled"}}"#
        ] {
            var post = HTTPClientRequest(url: server.baseURL + "/chat/completions")
            post.method = .POST
            post.headers.add(name: "Authorization", value: "Bearer sk-test")
            post.headers.add(name: "Content-Type", value: "application/json")
            post.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(post, timeout: .seconds(30))
            #expect(response.status.code == 400, "\(body)")
        }
        // K2.6's own fixed values are accepted.
        var ok = HTTPClientRequest(url: server.baseURL + "/chat/completions")
        ok.method = .POST
        ok.headers.add(name: "Authorization", value: "Bearer sk-test")
        ok.body = .bytes(
            ByteBuffer(
                string:
                    #"{"model":"kimi-k2.6","messages":[{"role":"user","content":"hi"}],"thinking":{"type":"disabled"},"temperature":0.6}"#
            ))
        #expect(try await HTTPClient.shared.execute(ok, timeout: .seconds(30)).status.code == 200)
    }

    @Test func theThinkingSwitchIsEncodedAsThePlatformExpects() throws {
        let body = String(decoding: try JSONEncoder().encode(request(thinking: false)), as: UTF8.self)
        #expect(body.contains(#""thinking":{"type":"disabled"}"#))
        #expect(!String(decoding: try JSONEncoder().encode(request()), as: UTF8.self).contains("thinking"))
    }

    @Test func theModelTableKnowsEachFamilysWindowSamplingAndThinking() {
        #expect(ModelFamily.of("kimi-k2.6").window == 262_144)
        #expect(ModelFamily.of("kimi-k2.6").sampling == .fixed)
        #expect(ModelFamily.of("kimi-k2.6").thinks(nil) && !ModelFamily.of("kimi-k2.6").thinks(false))
        #expect(ModelFamily.of("kimi-k3").thinks(false), "always thinks")
        #expect(ModelFamily.of("kimi-k3").thinkingField(false) == nil, "and takes no switch")
        #expect(ModelFamily.of("kimi-k3.1-pro-highspeed").window == 1_048_576)
        #expect(ModelFamily.of("kimi-k2.7-code").thinkingField(false) == nil)
        #expect(ModelFamily.of("moonshot-v1-8k").temperature(0.3) == 0.3)
        #expect(ModelInfo.knownWindow(of: "moonshot-v1-32k") == 32_768)
        #expect(ModelInfo.knownWindow(of: "moonshot-v1-auto") == 131_072)
        #expect(ModelFamily.of("qwen2.5:7b").window == nil)
    }

    @Test func usageReadsK2sNestedCachedTokensAndV1sTopLevelOne() throws {
        let k2 = try JSONDecoder().decode(
            ChatCompletion.Usage.self,
            from: Data(
                #"{"prompt_tokens":1113,"completion_tokens":50,"cached_tokens":1024,"prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":30}}"#
                    .utf8))
        #expect(k2.cachedTokens == 1024 && k2.reasoningTokens == 30)
        let v1 = try JSONDecoder().decode(
            ChatCompletion.Usage.self, from: Data(#"{"prompt_tokens":10,"completion_tokens":5,"cached_tokens":4}"#.utf8)
        )
        #expect(v1.cachedTokens == 4 && v1.reasoningTokens == nil)
    }
}
