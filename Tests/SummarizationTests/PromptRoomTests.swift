import ChatAPI
import Chunking
import Summarization
import Testing

/// A prompt that leaves less room than `max_tokens` still fits the window.
struct PromptRoomTests {
    @Test func aCallCutBeforeTheRatioRoseKeepsItsPromptAndAnswersInLessRoom() async throws {
        let transport = ScriptedTransport([])
        let summarizer = LLMSummarizer(
            options: .init(model: "local", contextWindow: 2048, maxTokens: [.map: 256]), transport: transport)
        let context = SummaryContext(title: "T")
        func prompt(_ text: String) -> Int {
            LLMSummarizer.promptTokens(
                summarizer.messages(for: [text], stage: .map, context: context), estimator: TokenEstimator())
        }
        var text = ""
        while prompt(text) + 256 <= 2048 { text += "The keeper climbed the tower. " }
        let prompt = prompt(text)
        #expect(
            prompt + 256 > 2048 && 2048 - prompt >= 128, "the text should leave the window a little short: \(prompt)")
        _ = try await summarizer.summarize([text], stage: .map, context: context)
        #expect(transport.requests.value.first?.maxTokens == 2048 - prompt)
    }
}
