import ChatAPI
import PrecisTesting
import Summarization
import Testing

/// A thinking model's reasoning is counted and never kept, and a call that reasons its room away
/// is asked again with more, or fails saying so; it never becomes an empty summary.
struct ThinkingTests {
    func answer(_ text: String, reasoning: String, _ finish: String, completion: Int, reasoningTokens: Int)
        -> ChatCompletion
    {
        ChatCompletion(
            text: text, reasoning: reasoning, finishReason: finish,
            usage: .init(
                promptTokens: 100, completionTokens: completion, cachedTokens: 40, reasoningTokens: reasoningTokens),
            model: "kimi-k2.6")
    }

    func summarizer(_ transport: ScriptedTransport, thinking: Bool?, window: Int = 262_144, reasoning: Int = 1000)
        -> LLMSummarizer
    {
        LLMSummarizer(
            options: .init(
                model: "kimi-k2.6", contextWindow: window, maxTokens: [.map: 500, .reduce: 500, .final: 500],
                thinking: thinking, reasoningTokens: reasoning), transport: transport)
    }

    @Test func k25GetsItsThinkingSwitchAndNoSamplingFieldsAndRoomToReason() async throws {
        let transport = ScriptedTransport([
            answer("The gist.", reasoning: "Let me think.", "stop", completion: 30, reasoningTokens: 20)
        ])
        let summary = try await summarizer(transport, thinking: true).summarize(
            ["Some text."], stage: .map, context: SummaryContext(title: "T"))
        let request = try #require(transport.requests.value.first)
        #expect(request.thinking == true)
        #expect(request.temperature == nil && request.topP == nil && request.n == nil)
        #expect(request.maxTokens == 500 + 1000)
        #expect(summary.text == "The gist.")
        #expect(summary.reasoningTokens == 20)
        #expect(summary.cachedTokens == 40)
        #expect(summary.completionTokens == 30)

        let off = ScriptedTransport([answer("The gist.", reasoning: "", "stop", completion: 10, reasoningTokens: 0)])
        _ = try await summarizer(off, thinking: false).summarize(
            ["Some text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(off.requests.value.first?.thinking == false)
        #expect(off.requests.value.first?.maxTokens == 500)
    }

    @Test func aCallThatReasonsAwayItsRoomIsAskedAgainWithMoreAndBothAreCounted() async throws {
        let transport = ScriptedTransport([
            answer("", reasoning: "Thinking at length…", "length", completion: 1500, reasoningTokens: 1500),
            answer("The gist at last.", reasoning: "Thinking again.", "stop", completion: 900, reasoningTokens: 800)
        ])
        let summary = try await summarizer(transport, thinking: true).summarize(
            ["Some text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(summary.text == "The gist at last.")
        #expect(transport.requests.value.map(\.maxTokens) == [1500, 3000])
        #expect(summary.completionTokens == 2400, "the first call was paid for too")
        #expect(summary.reasoningTokens == 2300)
        #expect(!summary.text.contains("Thinking"))
    }

    @Test func aCallWithNoMoreRoomInTheWindowFailsSayingItReasonedAwayItsRoom() async throws {
        let empty = answer("", reasoning: "Thinking…", "length", completion: 1500, reasoningTokens: 1500)
        let transport = ScriptedTransport([empty, empty, empty])
        await #expect {
            try await summarizer(transport, thinking: true, window: 1700).summarize(
                ["Some text."], stage: .map, context: SummaryContext(title: "T"))
        } throws: {
            String(describing: $0).contains("reasoning and wrote no summary")
        }
        #expect(transport.requests.value.count <= 2)
    }

    @Test func modelsThatCannotSwitchThinkingGetNoSwitch() async throws {
        let transport = ScriptedTransport([])
        let v1 = LLMSummarizer(
            options: .init(model: "moonshot-v1-8k", contextWindow: 8192, thinking: false), transport: transport)
        _ = try await v1.summarize(["Some text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(transport.requests.value.first?.thinking == nil)
        #expect(transport.requests.value.first?.temperature == 0.3)
    }

    @Test func thinkingChangesTheCallKeysOnlyWhereItApplies() {
        let transport = ScriptedTransport([])
        let v1 = LLMSummarizer(options: .init(model: "moonshot-v1-8k", contextWindow: 8192), transport: transport)
        #expect(!v1.fingerprint.contains("thinking"), "moonshot-v1 keys stay as they were")
        #expect(summarizer(transport, thinking: true).fingerprint != summarizer(transport, thinking: false).fingerprint)
    }
}
