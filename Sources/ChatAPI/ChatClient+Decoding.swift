import AsyncHTTPClient
import Foundation

extension ChatClient {
    struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var reasoningContent: String?
                enum CodingKeys: String, CodingKey {
                    case content
                    case reasoningContent = "reasoning_content"
                }
            }
            var message: Message?
            var delta: Message?
            var finishReason: String?
            var usage: ChatCompletion.Usage?

            enum CodingKeys: String, CodingKey {
                case message, delta, usage
                case finishReason = "finish_reason"
            }
        }

        var model: String?
        var choices: [Choice]?
        var usage: ChatCompletion.Usage?
        var error: ServerError?

        struct ServerError: Decodable {
            var type: String?
            var message: String?
        }
    }

    /// A non-streaming answer: one choice with content and a finish reason, or an error.
    public static func decodeCompletion(_ bytes: [UInt8], model: String) throws -> ChatCompletion {
        guard let response = try? JSONDecoder().decode(Response.self, from: Data(bytes)) else {
            throw ChatAPIError(
                .malformedResponse,
                "the answer is not a chat completion: \(String(decoding: bytes.prefix(120), as: UTF8.self))")
        }
        if let error = response.error { throw inBodyError(error) }
        // A thinking model cut at max_tokens while still reasoning may send no content at all.
        guard let choice = response.choices?.first, let message = choice.message,
            let content = message.content ?? (message.reasoningContent == nil ? nil : "")
        else {
            throw ChatAPIError(.malformedResponse, "the answer has no choices[0].message.content")
        }
        guard let reason = choice.finishReason else {
            throw ChatAPIError(.malformedResponse, "the answer has no finish_reason")
        }
        if reason == "content_filter" {
            throw ChatAPIError(.contentFilter, "the answer was withheld by the server's content filter")
        }
        return ChatCompletion(
            text: content, reasoning: message.reasoningContent ?? "", finishReason: reason,
            usage: response.usage ?? choice.usage, model: response.model ?? model)
    }

    /// Reads an SSE stream to its `[DONE]`; a stream cut short, or with no finish reason, is an error.
    func readStream(_ body: HTTPClientResponse.Body, model: String) async throws -> ChatCompletion {
        var parser = SSEParser()
        var text = ""
        var reasoning = ""
        var finishReason: String?
        var usage: ChatCompletion.Usage?
        var answeredModel: String?
        var done = false
        var events = 0
        func handle(_ event: String) throws {
            events += 1
            if event == "[DONE]" {
                done = true
                return
            }
            guard !done else { return }
            guard let chunk = try? JSONDecoder().decode(Response.self, from: Data(event.utf8)) else {
                throw ChatAPIError(.malformedResponse, "a stream event is not JSON: \(event.prefix(120))")
            }
            if let error = chunk.error { throw Self.inBodyError(error) }
            answeredModel = answeredModel ?? chunk.model
            for choice in chunk.choices ?? [] {
                text += choice.delta?.content ?? choice.message?.content ?? ""
                reasoning += choice.delta?.reasoningContent ?? choice.message?.reasoningContent ?? ""
                if let reason = choice.finishReason { finishReason = reason }
                if let u = choice.usage { usage = u }
            }
            if let u = chunk.usage { usage = u }
        }
        do {
            for try await buffer in body {
                for event in parser.feed(buffer.readableBytesView) { try handle(event) }
            }
        } catch let error as ChatAPIError {
            throw error
        } catch {
            // llama.cpp drops the connection right after the [DONE] that ends a stream it cut; what
            // was said by then decides, below, and a connection lost before it is a transport error.
            guard done else { throw Self.transportError(error) }
        }
        // An event with no blank line after it never finished; only a bare [DONE] is taken as said.
        for event in parser.finish() {
            guard event == "[DONE]" else { throw ChatAPIError(.cutStream, "the stream ended inside an event") }
            try handle(event)
        }
        guard done else {
            if events == 0 {
                throw ChatAPIError(
                    .cutStream,
                    "the server answered 200 with an empty stream (llama.cpp does so when the prompt is over its window)"
                )
            }
            throw ChatAPIError(.cutStream, "the stream ended without data: [DONE]")
        }
        guard let finishReason else { throw ChatAPIError(.cutStream, "the stream ended without a finish_reason") }
        if finishReason == "content_filter" {
            throw ChatAPIError(.contentFilter, "the answer was withheld by the server's content filter")
        }
        return ChatCompletion(
            text: text, reasoning: reasoning, finishReason: finishReason, usage: usage, model: answeredModel ?? model)
    }

    static func inBodyError(_ error: Response.ServerError) -> ChatAPIError {
        let message = error.message ?? "the server reported an error"
        switch error.type {
        case "exceeded_current_quota_error": return ChatAPIError(.quotaExceeded, type: error.type, message)
        case "invalid_authentication_error":
            return ChatAPIError(.authentication, type: error.type, "the API key was refused: \(message)")
        case "content_filter": return ChatAPIError(.contentFilter, type: error.type, message)
        case "rate_limit_reached_error": return ChatAPIError(.rateLimited, type: error.type, message)
        default: return ChatAPIError(.server, type: error.type, message)
        }
    }

    /// `{"data":[{"id", "context_length"}]}`, with the other names servers use for the window.
    static func decodeModels(_ bytes: [UInt8]) throws -> [ModelInfo] {
        guard let object = JSONObject.parse(bytes),
            let data = object["data"] as? [[String: Any]]
        else {
            throw ChatAPIError(.malformedResponse, "the models answer has no data list")
        }
        return data.compactMap { entry in
            guard let id = entry["id"] as? String else { return nil }
            let meta = entry["meta"] as? [String: Any]
            let window =
                ["context_length", "max_context_length", "context_window", "max_model_len"]
                .lazy.compactMap { entry[$0] as? Int }.first ?? meta?["n_ctx_train"] as? Int
                ?? ModelInfo.knownWindow(of: id)
            return ModelInfo(id: id, contextLength: window)
        }
    }
}
