import Foundation
import NIOHTTP1

extension ChatClient {
    /// A server's count of some text's tokens, and the endpoint that gave it.
    public struct TokenCount: Sendable, Hashable {
        public var tokens: Int
        /// The endpoint that counted, as the server names it (for the log).
        public var endpoint: String
        /// Whether the count includes the chat framing of one user message (role markers,
        /// template), as the counters that take messages give it.
        public var includesFraming: Bool
    }

    /// The server's exact count of the tokens `messages` would take as a prompt for `model` (Moonshot).
    public func estimateTokenCount(model: String, messages: [ChatMessage]) async throws -> Int {
        struct Body: Encodable {
            var model: String
            var messages: [ChatMessage]
        }
        let body = try JSONEncoder().encode(Body(model: model, messages: messages))
        let object = try await fetchJSON(
            .POST, url: configuration.baseURL + "/tokenizers/estimate-token-count", body: body)
        guard let data = object["data"] as? [String: Any], let total = data["total_tokens"] as? Int else {
            throw ChatAPIError(.malformedResponse, "the token estimate answer has no data.total_tokens")
        }
        return total
    }

    /// Counts each text with the model's own tokenizer, through whichever counter the server has:
    /// llama-cpp-python's `/extras/tokenize/count`, llama-server's and vLLM's `/tokenize`, or
    /// Moonshot's `/tokenizers/estimate-token-count`; servers with none (Ollama) answer a
    /// one-token chat call whose `usage` gives the count. The first text finds the counter, the
    /// rest go straight to it. Nil when no way gives a count.
    /// - Throws: ``ChatAPIError`` when the server refuses the key or cannot be reached.
    public func countTokens(_ texts: [String], model: String) async throws -> [TokenCount]? {
        guard let first = texts.first else { return [] }
        for counter in TokenCounter.allCases {
            guard let found = try await count(first, model: model, with: counter) else { continue }
            var counts = [found]
            for text in texts.dropFirst() {
                guard let count = try await count(text, model: model, with: counter) else { return nil }
                counts.append(count)
            }
            return counts
        }
        return nil
    }

    /// The server's counters, in the order they are tried.
    private enum TokenCounter: CaseIterable {
        case llamaCppPython, tokenize, moonshot, chatUsage
    }

    /// `text` counted by one counter; nil when the server has no such counter.
    private func count(_ text: String, model: String, with counter: TokenCounter) async throws -> TokenCount? {
        let root = configuration.serverRoot
        do {
            switch counter {
            case .llamaCppPython:
                let body = try JSONSerialization.data(withJSONObject: ["input": text])
                guard
                    let count = try await fetchJSON(.POST, url: root + "/extras/tokenize/count", body: body)["count"]
                        as? Int
                else { return nil }
                return TokenCount(tokens: count, endpoint: "/extras/tokenize/count", includesFraming: false)
            case .tokenize:
                // vLLM reads `model` and `prompt`, llama-server `content`; each ignores the other's fields.
                let body = try JSONSerialization.data(withJSONObject: [
                    "model": model, "prompt": text, "content": text, "add_special": false
                ])
                let object = try await fetchJSON(.POST, url: root + "/tokenize", body: body)
                guard let count = object["count"] as? Int ?? (object["tokens"] as? [Any])?.count else { return nil }
                return TokenCount(tokens: count, endpoint: "/tokenize", includesFraming: false)
            case .moonshot:
                let total = try await estimateTokenCount(model: model, messages: [.user(text)])
                return TokenCount(tokens: total, endpoint: "/tokenizers/estimate-token-count", includesFraming: true)
            case .chatUsage:
                let answer = try await complete(
                    ChatRequest(model: model, messages: [.user(text)], temperature: 0, maxTokens: 1))
                guard let usage = answer.usage else { return nil }
                return TokenCount(
                    tokens: usage.promptTokens, endpoint: "usage of a one-token chat call", includesFraming: true)
            }
        } catch let error as ChatAPIError where !error.stopsProbing {
            return nil
        }
    }

    /// The window a llama-server was started with (`/props`), which its `/models` does not say.
    public func serverContextWindow() async -> Int? {
        // Only llama-server answers /props; any other server's refusal means it does not say.
        let object: [String: Any]
        do { object = try await fetchJSON(.GET, url: configuration.serverRoot + "/props") } catch { return nil }
        let settings = object["default_generation_settings"] as? [String: Any]
        return settings?["n_ctx"] as? Int ?? object["n_ctx"] as? Int
    }

    /// The JSON object an endpoint answers.
    private func fetchJSON(_ method: HTTPMethod, url: String, body: Data? = nil) async throws -> [String: Any] {
        let bytes = try await withDeadline(.seconds(60)) {
            let response = try await self.send(method, url: url, body: body, stream: false)
            return try await self.collect(response.body, limit: 1 << 20)
        }
        guard let object = JSONObject.parse(bytes) else {
            throw ChatAPIError(.malformedResponse, "\(url) answered something other than a JSON object")
        }
        return object
    }
}

extension ChatAPIError {
    /// Failures that would fail every other endpoint too, so looking further is pointless.
    var stopsProbing: Bool {
        disposition == .stopRun || code == .permission || code == .connection
    }
}

extension ChatClientConfiguration {
    /// The server's root, where llama.cpp and vLLM keep their extra endpoints: the base URL
    /// without a trailing `/v1`.
    var serverRoot: String {
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        if root.hasSuffix("/v1") { root.removeLast(3) }
        return root
    }
}
