import ChatAPI
import PrecisTesting
import Testing

@testable import Summarization

/// A cut answer continued in partial mode instead of paid for again with twice the room.
struct PartialModeTests {
    func answer(_ text: String, _ finish: String = "stop", prompt: Int = 100, completion: Int = 20) -> ChatCompletion {
        ChatCompletion(
            text: text, finishReason: finish, usage: .init(promptTokens: prompt, completionTokens: completion),
            model: "kimi-k2.6")
    }

    func summarizer(_ transport: any ChatTransport, partialMode: PartialMode = PartialMode()) -> LLMSummarizer {
        LLMSummarizer(
            options: .init(model: "kimi-k2.6", contextWindow: 262_144, thinking: false), transport: transport,
            partialMode: partialMode)
    }

    @Test func aCutAnswerIsContinuedFromWhereItStoppedWithNoRepeatedWords() async throws {
        let transport = ScriptedTransport([
            answer("The keeper climbed the", "length", completion: 512),
            answer(" tower and lit the lamp.", prompt: 110, completion: 9)
        ])
        let summary = try await summarizer(transport).summarize(
            ["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(summary.text == "The keeper climbed the tower and lit the lamp.")
        #expect(!summary.truncated)
        #expect(summary.requests == 2)
        #expect(
            summary.promptTokens == 210 && summary.completionTokens == 521, "both requests are paid for and counted")
        let sent = transport.requests.value
        #expect(sent.count == 2)
        #expect(sent[1].partialPrefix == "The keeper climbed the")
        #expect(sent[1].maxTokens == sent[0].maxTokens, "the answer's room again, not twice it")
        #expect(Array(sent[1].messages.dropLast()) == sent[0].messages, "the same prompt, then the prefix")
    }

    @Test func aServerThatRefusesPartialModeKeepsTheCutAnswerForTheRestOfTheRun() async throws {
        let transport = RefusingPartialTransport()
        let mode = PartialMode()
        let summary = try await summarizer(transport, partialMode: mode).summarize(
            ["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(!mode.usable)
        #expect(summary.text == "The keeper lit the lamp.", "kept to its last complete sentence")
        #expect(summary.truncated)
        #expect(
            transport.scripted.requests.value.map(\.maxTokens) == [512],
            "the prompt is not paid for again with more room")
        let later = try await summarizer(transport, partialMode: mode).summarize(
            ["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(later.requests == 1, "no continuation is tried once refused")
    }

    @Test func aCutAnswerWithoutPartialModeEndsAtItsLastCompleteSentence() {
        #expect(
            CutAnswer.complete("The lamp was lit at 6.30 p.m. each day. The keeper then wrote in the")
                == "The lamp was lit at 6.30 p.m. each day.")
        #expect(CutAnswer.complete("老周开了书店。他每天都在") == "老周开了书店。")
        #expect(CutAnswer.complete("He said \"it is done.\" Then he") == "He said \"it is done.\"")
        let one = "A single sentence that runs on and on without ever reaching its end"
        #expect(CutAnswer.complete(one) == one, "nothing to cut back to")
        #expect(
            CutAnswer.complete("Short. " + one + " and on and on and on") == "Short. " + one + " and on and on and on",
            "a cut that would keep under a third keeps the whole")
    }

    @Test func aModelThatLoopsHasItsRepeatedSentencesLeftOut() async throws {
        let looped =
            "The keeper lit the lamp each night. Ships passed safely.\n\nThe keeper lit the lamp each night. The storm came in March.\n\n"
            + "The keeper lit the lamp each night. Ships passed safely.\n\n1. Ships passed safely."
        let transport = ScriptedTransport([answer(looped)])
        let summary = try await summarizer(transport).summarize(
            ["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(
            summary.text == "The keeper lit the lamp each night. Ships passed safely.\n\nThe storm came in March.\n\n1."
        )
        #expect(RepeatedSentences.removed(from: "老周开了书店。老周开了书店。他很高兴。") == "老周开了书店。他很高兴。")
        let plain = "No sentence here repeats.\n\n- a list item\n- a list item"
        #expect(RepeatedSentences.removed(from: plain) == plain, "scraps shorter than a sentence may repeat")
    }

    @Test func aServerThatAnswersAnewIsDetectedAndItsWholeAnswerKept() async throws {
        let whole = "The keeper climbed the tower each evening and lit the lamp before dusk."
        let transport = ScriptedTransport([answer("The keeper climbed the tower each", "length"), answer(whole)])
        let mode = PartialMode()
        let summary = try await summarizer(transport, partialMode: mode).summarize(
            ["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(summary.text == whole, "not the prefix followed by the answer again")
        #expect(!mode.usable)
    }

    @Test func aThinkingAnswerCutInsideItsReasoningIsNotContinued() async throws {
        let cut = ChatCompletion(
            text: "", reasoning: "Let me think…", finishReason: "length",
            usage: .init(promptTokens: 100, completionTokens: 1500, reasoningTokens: 1500), model: "kimi-k2.6")
        let transport = ScriptedTransport([cut, answer("The answer.")])
        let thinking = LLMSummarizer(
            options: .init(model: "kimi-k2.6", contextWindow: 262_144, thinking: true, reasoningTokens: 1000),
            transport: transport)
        let summary = try await thinking.summarize(["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(summary.text == "The answer.")
        #expect(transport.requests.value.allSatisfy { $0.partialPrefix == nil }, "asked again with more room instead")
    }
}

/// Answers the first request cut, refuses a partial-mode one with 400, and answers the rest from a script.
final class RefusingPartialTransport: ChatTransport, Sendable {
    let scripted = ScriptedTransport([
        ChatCompletion(
            text: "The keeper lit the lamp. Then he climbed", finishReason: "length",
            usage: .init(promptTokens: 100, completionTokens: 512), model: "kimi-k2.6")
    ])

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        if request.partialPrefix != nil { throw ChatAPIError(.badRequest, status: 400, "partial is not supported") }
        return try await scripted.complete(request)
    }
}
