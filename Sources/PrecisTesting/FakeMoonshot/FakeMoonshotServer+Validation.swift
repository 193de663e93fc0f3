import Foundation

extension FakeMoonshotServer {
    struct Refusal: Error {
        var status: Int
        var type: String
        var message: String
    }

    /// Checks a chat request as Moonshot does and counts its prompt tokens.
    func validate(_ body: [UInt8]) -> Result<ChatCall, Refusal> {
        func bad(_ message: String) -> Result<ChatCall, Refusal> {
            .failure(Refusal(status: 400, type: "invalid_request_error", message: "Invalid request: \(message)"))
        }
        guard let object = JSONBody.object(body) else { return bad("the body is not a JSON object") }
        guard let model = object["model"] as? String else { return bad("model is required") }
        guard !configuration.refusedModels.contains(model),
            let window = configuration.models.first(where: { $0.id == model })?.window
        else {
            return .failure(
                Refusal(
                    status: 404, type: "resource_not_found_error",
                    message: "Not found the model \(model) or Permission denied"))
        }
        guard let rawMessages = object["messages"] as? [[String: Any]], !rawMessages.isEmpty else {
            return bad("messages must be a non-empty list")
        }
        var messages: [(role: String, content: String)] = []
        var prefix: String?
        for (i, m) in rawMessages.enumerated() {
            guard let role = m["role"] as? String, ["system", "user", "assistant"].contains(role) else {
                return bad("messages[\(i)].role is not system, user or assistant")
            }
            guard let content = m["content"] as? String, !content.isEmpty else {
                return bad("messages[\(i)].content must not be empty")
            }
            if m["partial"] as? Bool == true {
                guard i == rawMessages.count - 1, role == "assistant" else {
                    return bad("partial is only allowed on the last message, an assistant's")
                }
                // A server without partial mode takes the prefix as an earlier turn and answers anew.
                if configuration.partialMode {
                    prefix = content
                    continue
                }
            }
            messages.append((role, content))
        }
        let rules = FakeModelRules(model: model)
        var ignored: [String] = []
        let thinks: Bool
        switch rules.thinking(object["thinking"], effort: object["reasoning_effort"]) {
        case .failure(let refusal): return bad(refusal.message)
        case .success(let outcome): (thinks, ignored) = (outcome.thinks, outcome.ignored)
        }
        if let refusal = rules.sampling(object, thinks: thinks) { return bad(refusal) }
        let temperature = (object["temperature"] as? NSNumber)?.doubleValue ?? 0.3
        if !(0...1).contains(temperature) { return bad("temperature must be in [0, 1]") }
        if let topP = (object["top_p"] as? NSNumber)?.doubleValue, !(0...1).contains(topP) {
            return bad("top_p must be in [0, 1]")
        }
        if let n = object["n"] as? Int {
            if !(1...5).contains(n) { return bad("n must be in [1, 5]") }
            if n > 1 && temperature < 0.01 { return bad("n > 1 is not supported when temperature is 0") }
        }
        if let stop = object["stop"] {
            let list = (stop as? [String]) ?? (stop as? String).map { [$0] }
            guard let list, list.count <= 5, list.allSatisfy({ $0.utf8.count <= 32 }) else {
                return bad("stop must be at most 5 strings of at most 32 bytes")
            }
        }
        let (limitField, otherField) = rules.limitFields
        // The platform ignores a field it does not take, silently: the limit falls back to its default.
        if object[otherField] != nil { ignored.append(otherField) }
        let maxTokens = object[limitField] as? Int ?? rules.defaultLimit
        if maxTokens < 1 { return bad("\(limitField) must be positive") }
        let promptTokens = configuration.promptTokens(messages.map(\.content) + [prefix].compactMap { $0 })
        if promptTokens + maxTokens > window {
            return bad("Your request exceeded model token limit: \(window)")
        }
        if !ignored.isEmpty { state.withLock { $0.stats.ignoredFields += ignored } }
        let effort = (object["reasoning_effort"] as? String).flatMap(FakeModelRules.Effort.init(rawValue:))
        let identity =
            "\(model)|\(maxTokens)|" + messages.map { "\($0.role):\($0.content)" }.joined(separator: "\u{1E}")
            + (prefix.map { "\u{1E}partial:" + $0 } ?? "")
        var call = ChatCall(
            model: model, window: window, messages: messages, maxTokens: maxTokens,
            stream: object["stream"] as? Bool ?? false, promptTokens: promptTokens, identity: identity, thinks: thinks)
        call.prefix = prefix
        call.reasoningScale = thinks ? (rules.isK3 ? (effort ?? .max).scale : 1) : 0
        return .success(call)
    }

    /// What a thinking model writes before its answer: `reasoningTokens` of musing (times the
    /// effort's scale), cut at `limit`.
    func reasoning(limit: Int, scale: Int = 1) -> String {
        let sentence = "I should find the main points of this text and keep them in order. "
        var text = ""
        while configuration.tokens(text) < min(configuration.reasoningTokens * scale, limit) { text += sentence }
        while configuration.tokens(text) > limit { text.removeLast(max(1, text.count / 20)) }
        return text
    }

    /// An extractive "summary" of the last user message's text (its first paragraph, the
    /// instruction, is skipped): evenly spaced sentences, about `summaryRatio` of the input.
    func summarize(_ call: ChatCall, room: Int) -> (text: String, finishReason: String) {
        let content = call.messages.last { $0.role == "user" }?.content ?? ""
        let paragraphs = content.components(separatedBy: "\n\n")
        let text = paragraphs.count > 1 ? paragraphs.dropFirst().joined(separator: "\n\n") : content
        var sentences: [String] = []
        var current = ""
        for character in text where character != "\n" || !current.isEmpty {
            current.append(character == "\n" ? " " : character)
            if "。！？.!?".contains(character) {
                let s = current.trimmingCharacters(in: .whitespaces)
                if !s.isEmpty && s != "---" { sentences.append(s) }
                current = ""
            }
        }
        let tail = current.trimmingCharacters(in: .whitespaces)
        if !tail.isEmpty && tail != "---" { sentences.append(tail) }
        let inputTokens = max(1, configuration.tokens(text))
        let target = min(configuration.summaryCap, max(8, Int(Double(inputTokens) * configuration.summaryRatio)))
        let step = max(1, Int((Double(inputTokens) / Double(target)).rounded(.down)))
        var picked: [String] = []
        var tokens = 0
        for (i, sentence) in sentences.enumerated() where i % step == 0 && tokens < target {
            picked.append(sentence)
            tokens += configuration.tokens(sentence)
        }
        if picked.isEmpty { picked = [String(text.prefix(80))] }
        var answer = picked.joined(separator: " ")
        if configuration.tokens(answer) <= room { return (answer, "stop") }
        while !answer.isEmpty && configuration.tokens(answer) > room { answer.removeLast(max(1, answer.count / 10)) }
        return (answer, "length")
    }
}
