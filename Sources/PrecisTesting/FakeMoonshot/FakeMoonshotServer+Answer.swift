import Foundation

extension FakeMoonshotServer {
    /// What the fake model answers a call: reasoning first (for a thinking model), then the text.
    struct Answer {
        var text: String
        var reasoning: String
        var finish: String
        var completionTokens: Int
        var reasoningTokens: Int
        var cachedTokens: Int
        var usage: [String: Any]
        var id = "chatcmpl-\(UUID().uuidString.prefix(12).lowercased())"
    }

    /// The answer to `call`, with the usage the platform reports: reasoning shares `max_tokens` with
    /// the answer and can use all of it; a repeated prompt start is served from the prefix cache.
    func answer(_ call: ChatCall) -> Answer {
        // A continuation goes on from its prefix; it reasoned before the prefix was written.
        let reasoning =
            call.thinks && call.prefix == nil ? reasoning(limit: call.maxTokens, scale: call.reasoningScale) : ""
        let reasoningTokens = configuration.tokens(reasoning)
        let (text, finish) =
            reasoningTokens >= call.maxTokens && call.thinks
            ? ("", "length") : continued(call, room: call.maxTokens - reasoningTokens)
        let completionTokens = configuration.tokens(text) + reasoningTokens
        let cachedTokens = cached(call)
        var usage: [String: Any] = [
            "prompt_tokens": call.promptTokens, "completion_tokens": completionTokens,
            "total_tokens": call.promptTokens + completionTokens
        ]
        if cachedTokens > 0 {
            usage["cached_tokens"] = cachedTokens
            usage["prompt_tokens_details"] = ["cached_tokens": cachedTokens]
        }
        if call.thinks { usage["completion_tokens_details"] = ["reasoning_tokens": reasoningTokens] }
        return Answer(
            text: text, reasoning: reasoning, finish: finish, completionTokens: completionTokens,
            reasoningTokens: reasoningTokens, cachedTokens: cachedTokens, usage: usage)
    }

    /// The answer's text: the whole summary, or in partial mode what follows the prefix.
    func continued(_ call: ChatCall, room: Int) -> (text: String, finishReason: String) {
        guard let prefix = call.prefix else { return summarize(call, room: room) }
        let whole = summarize(call, room: .max).text
        guard whole.hasPrefix(prefix) else { return summarize(call, room: room) }
        var rest = String(whole.dropFirst(prefix.count))
        if configuration.tokens(rest) <= room { return (rest, "stop") }
        while !rest.isEmpty && configuration.tokens(rest) > room { rest.removeLast(max(1, rest.count / 10)) }
        return (rest, "length")
    }

    /// The `chat.completion` object of a non-streaming answer.
    func completionObject(_ call: ChatCall, _ answer: Answer) -> [String: Any] {
        var message: [String: Any] = ["role": "assistant", "content": answer.text]
        if call.thinks { message["reasoning_content"] = answer.reasoning }
        return [
            "id": answer.id, "object": "chat.completion", "created": 0, "model": call.model,
            "choices": [["index": 0, "message": message, "finish_reason": answer.finish]],
            "usage": answer.usage
        ]
    }

    /// Prompt tokens the prefix cache serves: the leading system message, once an earlier request
    /// to the same model sent it. Only Kimi's models cache on their own (moonshot-v1's cache is an
    /// explicit API); Kimi caches by token prefix, and whole messages are close enough here.
    func cached(_ call: ChatCall) -> Int {
        guard configuration.prefixCache, call.model.hasPrefix("kimi-"), let first = call.messages.first,
            first.role == "system"
        else { return 0 }
        let prefix = call.model + "\u{1E}" + first.content
        let seen = state.withLock { s -> Bool in s.prefixes.insert(prefix).inserted == false }
        return seen ? configuration.promptTokens([first.content]) : 0
    }
}
