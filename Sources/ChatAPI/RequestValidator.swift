/// Checks a request against Moonshot's field rules before it leaves the machine.
public enum RequestValidator {
    /// Throws ``ChatAPIError`` `.invalidRequest` naming the first rule `request` breaks.
    public static func validate(_ request: ChatRequest) throws(ChatAPIError) {
        func fail(_ message: String) throws(ChatAPIError) { throw ChatAPIError(.invalidRequest, message) }
        if request.model.isEmpty { try fail("model is empty") }
        if request.messages.isEmpty { try fail("messages is empty") }
        for (i, message) in request.messages.enumerated() where message.content.isEmpty {
            try fail("messages[\(i)] (\(message.role.rawValue)) has empty content")
        }
        for (i, message) in request.messages.enumerated()
        where message.partial && (i != request.messages.count - 1 || message.role != .assistant) {
            try fail("messages[\(i)]: partial mode applies to the last message only, and only to an assistant's")
        }
        let family = ModelFamily.of(request.model)
        if let refusal = ModelFamily.refusal(of: request.model) { throw ChatAPIError(.modelRetired, refusal) }
        if family.sampling == .fixed, request.temperature != nil || request.topP != nil || request.n != nil {
            try fail("\(request.model) fixes temperature, top_p and n on the platform; a request must leave them out")
        }
        if request.thinking != nil, family.thinkingField(request.thinking) == nil {
            try fail("\(request.model) takes no thinking switch")
        }
        if let effort = request.reasoningEffort, !family.efforts.contains(effort) {
            try fail(
                family.efforts.isEmpty
                    ? "\(request.model) takes no reasoning_effort"
                    : "reasoning_effort \(effort.rawValue) is not one of \(family.efforts.map(\.rawValue).joined(separator: ", ")) for \(request.model)"
            )
        }
        if let t = request.temperature, !(0...1).contains(t) { try fail("temperature \(t) is outside 0…1") }
        if let p = request.topP, !(0...1).contains(p) { try fail("top_p \(p) is outside 0…1") }
        if let n = request.n {
            if !(1...5).contains(n) { try fail("n \(n) is outside 1…5") }
            if n > 1, (request.temperature ?? 0.3) < 0.01 { try fail("n > 1 needs a temperature above 0") }
        }
        if let stop = request.stop {
            if stop.count > 5 { try fail("stop has \(stop.count) strings; at most 5") }
            if let long = stop.first(where: { $0.utf8.count > 32 }) {
                try fail("stop string '\(long)' is over 32 bytes")
            }
        }
        let limit = family.limitField.rawValue
        if let max = request.maxTokens, max < 1 { try fail("\(limit) \(max) must be at least 1") }
        if let window = request.contextWindow, let prompt = request.estimatedPromptTokens,
            prompt + request.effectiveMaxTokens > window
        {
            try fail(
                "prompt (~\(prompt) tokens) + \(limit) (\(request.effectiveMaxTokens)) exceeds the \(window)-token window of \(request.model)"
            )
        }
    }
}
