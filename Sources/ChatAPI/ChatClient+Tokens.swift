import Foundation

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
        struct Body: Encodable { var model: String; var messages: [ChatMessage] }
        let body = try JSONEncoder().encode(Body(model: model, messages: messages))
        let object = try await postJSON(url: configuration.baseURL + "/tokenizers/estimate-token-count", body: body)
        guard let data = object["data"] as? [String: Any], let total = data["total_tokens"] as? Int else {
            throw ChatAPIError(.malformedResponse, "the token estimate answer has no data.total_tokens")
        }
        return total
    }

    /// Counts `text` with the model's own tokenizer, through whichever counter the server has:
    /// llama-cpp-python's `/extras/tokenize/count`, llama-server's and vLLM's `/tokenize`, or
    /// Moonshot's `/tokenizers/estimate-token-count`; servers with none (Ollama) answer a
    /// one-token chat call whose `usage` gives the count. Nil when no way gives a count.
    /// - Throws: ``ChatAPIError`` when the server refuses the key or cannot be reached.
    public func countTokens(_ text: String, model: String) async throws -> TokenCount? {
        let root = configuration.serverRoot
        let raw = try JSONSerialization.data(withJSONObject: ["input": text])
        if let object = try await probe(url: root + "/extras/tokenize/count", body: raw), let count = object["count"] as? Int {
            return TokenCount(tokens: count, endpoint: "/extras/tokenize/count", includesFraming: false)
        }
        // vLLM reads `model` and `prompt`, llama-server `content`; each ignores the other's fields.
        let both = try JSONSerialization.data(withJSONObject: ["model": model, "prompt": text, "content": text, "add_special": false])
        if let object = try await probe(url: root + "/tokenize", body: both) {
            if let count = object["count"] as? Int { return TokenCount(tokens: count, endpoint: "/tokenize", includesFraming: false) }
            if let tokens = object["tokens"] as? [Any] { return TokenCount(tokens: tokens.count, endpoint: "/tokenize", includesFraming: false) }
        }
        do {
            let total = try await estimateTokenCount(model: model, messages: [.user(text)])
            return TokenCount(tokens: total, endpoint: "/tokenizers/estimate-token-count", includesFraming: true)
        } catch let error as ChatAPIError where !error.stopsProbing {}
        do {
            let answer = try await complete(ChatRequest(model: model, messages: [.user(text)], temperature: 0, maxTokens: 1))
            guard let usage = answer.usage else { return nil }
            return TokenCount(tokens: usage.promptTokens, endpoint: "usage of a one-token chat call", includesFraming: true)
        } catch let error as ChatAPIError where !error.stopsProbing {
            return nil
        }
    }

    /// The window a llama-server was started with (`/props`), which its `/models` does not say.
    public func serverContextWindow() async -> Int? {
        guard let response = try? await withDeadline(.seconds(30), {
            let response = try await self.send(.GET, url: self.configuration.serverRoot + "/props", body: nil, stream: false)
            return try await self.collect(response.body, limit: 1 << 20)
        }), let object = try? JSONSerialization.jsonObject(with: Data(response)) as? [String: Any] else { return nil }
        let settings = object["default_generation_settings"] as? [String: Any]
        return settings?["n_ctx"] as? Int ?? object["n_ctx"] as? Int
    }

    /// The JSON object an endpoint answers, or nil when the server has no such endpoint.
    private func probe(url: String, body: Data) async throws -> [String: Any]? {
        do {
            return try await postJSON(url: url, body: body)
        } catch let error as ChatAPIError where !error.stopsProbing {
            return nil
        }
    }

    private func postJSON(url: String, body: Data) async throws -> [String: Any] {
        let bytes = try await withDeadline(.seconds(60)) {
            let response = try await self.send(.POST, url: url, body: body, stream: false)
            return try await self.collect(response.body, limit: 1 << 20)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ChatAPIError(.malformedResponse, "\(url) answered something other than a JSON object")
        }
        return object
    }
}

extension ChatAPIError {
    /// Failures that would fail every other endpoint too, so looking further is pointless.
    var stopsProbing: Bool {
        switch code {
        case .authentication, .permission, .quotaExceeded, .connection, .insecureTransport, .missingKey: true
        default: false
        }
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
