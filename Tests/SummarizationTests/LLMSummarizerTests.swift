import ChatAPI
import PrecisTesting
import Summarization
import Testing

/// A transport that records requests and answers from a script.
final class ScriptedTransport: ChatTransport, Sendable {
    let requests = Locked<[ChatRequest]>([])
    let answers: Locked<[ChatCompletion]>

    init(_ answers: [ChatCompletion]) { self.answers = Locked(answers) }

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        try RequestValidator.validate(request)
        requests.withLock { $0.append(request) }
        return answers.withLock {
            $0.isEmpty
                ? ChatCompletion(text: "fallback", finishReason: "stop", usage: nil, model: request.model)
                : $0.removeFirst()
        }
    }
}

struct LLMSummarizerTests {
    func answer(_ text: String, _ finish: String = "stop", prompt: Int = 100) -> ChatCompletion {
        ChatCompletion(
            text: text, finishReason: finish, usage: .init(promptTokens: prompt, completionTokens: 20),
            model: "moonshot-v1-8k")
    }

    func summarizer(
        _ transport: ScriptedTransport, model: String = "moonshot-v1-8k", window: Int = 8192,
        candidates: [ModelInfo] = [], calibration: TokenCalibration = TokenCalibration()
    ) -> LLMSummarizer {
        LLMSummarizer(
            options: .init(model: model, contextWindow: window, candidates: candidates), transport: transport,
            calibration: calibration)
    }

    @Test func usesChinesePromptsForChineseDocumentsAndFillsPlaceholders() async throws {
        let transport = ScriptedTransport([answer("摘要。")])
        let context = SummaryContext(title: "运河边的书店", headingPath: ["第一章 开张"], language: .chinese)
        let summary = try await summarizer(transport).summarize(["老周的书店开张了。"], stage: .map, context: context)
        #expect(summary.text == "摘要。")
        let request = try #require(transport.requests.value.first)
        #expect(request.messages[0].content.contains("简体中文"))
        #expect(request.messages[1].content.contains("《运河边的书店》"))
        #expect(request.messages[1].content.contains("第一章 开张"))
        #expect(request.messages[1].content.hasSuffix("老周的书店开张了。"))
        #expect(!request.messages[1].content.contains("{"))
        #expect(request.temperature == 0.3)
        #expect(request.maxTokens == 512)
    }

    @Test func thePromptStatesALengthWithinTheStagesLimit() async throws {
        let transport = ScriptedTransport([answer("A."), answer("摘要。")])
        let llm = summarizer(transport)
        _ = try await llm.summarize(["Some text."], stage: .map, context: SummaryContext(title: "T"))
        _ = try await llm.summarize(["一些文字。"], stage: .final, context: SummaryContext(title: "书", language: .chinese))
        let requests = transport.requests.value
        // 512 tokens are some 380 English words: asking for 300 ends the answer before its limit.
        #expect(requests[0].messages[1].content.contains("in at most 300 words"), "\(requests[0].messages[1].content)")
        #expect(requests[0].maxTokens == 512)
        #expect(requests[1].messages[1].content.contains("不超过1020字"), "\(requests[1].messages[1].content)")
        // A pipeline's own prompt without {length} gets none.
        let own = LLMSummarizer(
            options: .init(
                model: "moonshot-v1-8k", contextWindow: 8192, prompts: PromptOverrides(map: "Sum up: {text}")),
            transport: ScriptedTransport([answer("B.")]))
        #expect(own.messages(for: ["x"], stage: .map, context: SummaryContext(title: "T"))[1].content == "Sum up: x")
    }

    @Test func promptsWrittenForOneLanguageLeaveTheOtherItsBuiltInPrompts() {
        let english = LLMSummarizer(
            options: .init(
                model: "local", contextWindow: 8192,
                prompts: PromptOverrides(map: "Sum up: {text}", language: .english)),
            transport: ScriptedTransport([]))
        #expect(
            english.messages(for: ["x"], stage: .map, context: SummaryContext(title: "T"))[1].content == "Sum up: x")
        let chinese = english.messages(
            for: ["文"], stage: .map, context: SummaryContext(title: "T", language: .chinese))[1].content
        #expect(chinese.hasPrefix("请总结文档"), "\(chinese)")
    }

    @Test func recordsTheServersUsageAndModel() async throws {
        let transport = ScriptedTransport([answer("A summary.", prompt: 77)])
        let summary = try await summarizer(transport).summarize(
            ["Some text."], stage: .final, context: SummaryContext(title: "T"))
        #expect(summary.promptTokens == 77)
        #expect(summary.completionTokens == 20)
        #expect(summary.model == "moonshot-v1-8k")
        #expect(!summary.usageEstimated)
    }

    @Test func keepsACutAnswerToItsLastSentenceOnAServerWithoutPartialModeInsteadOfPayingThePromptAgain() async throws {
        let transport = ScriptedTransport([
            answer("The keeper lit the lamp. Then he climbed the", "length"), answer("Whole answer.")
        ])
        let summary = try await summarizer(transport, model: "local-llama").summarize(
            ["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(summary.text == "The keeper lit the lamp.")
        #expect(summary.truncated)
        #expect(transport.requests.value.map(\.maxTokens) == [512])
        #expect(summary.promptTokens == 100)
    }

    @Test func keepsAndMarksACutAnswerWhenTheWindowHasNoRoom() async throws {
        let transport = ScriptedTransport([answer("Cut short", "length")])
        let small = summarizer(transport, model: "local-llama", window: 1100)
        let summary = try await small.summarize(["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(summary.truncated)
        #expect(transport.requests.value.count == 1)
    }

    @Test func autoPicksTheSmallestWindowThatFits() async throws {
        let transport = ScriptedTransport([answer("a"), answer("b")])
        let candidates = [
            ModelInfo(id: "moonshot-v1-128k", contextLength: 131_072),
            ModelInfo(id: "moonshot-v1-8k", contextLength: 8192),
            ModelInfo(id: "moonshot-v1-32k", contextLength: 32_768)
        ]
        let auto = summarizer(transport, model: "auto", candidates: candidates)
        _ = try await auto.summarize(["Short text."], stage: .map, context: SummaryContext(title: "T"))
        _ = try await auto.summarize(
            [String(repeating: "word ", count: 12_000)], stage: .map, context: SummaryContext(title: "T"))
        #expect(transport.requests.value.map(\.model) == ["moonshot-v1-8k", "moonshot-v1-32k"])
    }

    @Test func aServerThatCountsMoreThanEstimatedChangesNoLaterEstimate() async throws {
        // What one answer counted must not re-cut what follows: the ratio is fixed for the run.
        let transport = ScriptedTransport([answer("a", prompt: 5000), answer("b", prompt: 5000)])
        let llm = summarizer(transport)
        _ = try await llm.summarize(["Short text."], stage: .map, context: SummaryContext(title: "T"))
        _ = try await llm.summarize(["Short text."], stage: .map, context: SummaryContext(title: "T"))
        let estimates = transport.requests.value.map(\.estimatedPromptTokens)
        #expect(estimates.count == 2 && estimates[0] == estimates[1])
        #expect(transport.requests.value.map(\.maxTokens)[0] == transport.requests.value.map(\.maxTokens)[1])
    }

    @Test func estimatesTokensWhenTheServerSendsNoUsage() async throws {
        let transport = ScriptedTransport([
            ChatCompletion(text: "Summary here.", finishReason: "stop", usage: nil, model: "local")
        ])
        let summary = try await summarizer(transport).summarize(
            ["Text."], stage: .map, context: SummaryContext(title: "T"))
        #expect(summary.usageEstimated)
        #expect(summary.promptTokens > 0)
        #expect(summary.completionTokens > 0)
    }

    @Test func fingerprintFollowsModelPromptsAndSampling() {
        let transport = ScriptedTransport([])
        var options = LLMSummarizer.Options(model: "moonshot-v1-8k", contextWindow: 8192)
        let base = LLMSummarizer(options: options, transport: transport).fingerprint
        options.stream = true
        #expect(LLMSummarizer(options: options, transport: transport).fingerprint == base)
        options.temperature = 0.5
        #expect(LLMSummarizer(options: options, transport: transport).fingerprint != base)
        options = LLMSummarizer.Options(
            model: "moonshot-v1-8k", contextWindow: 8192, prompts: PromptOverrides(final: "Gist of {title}: {text}"))
        #expect(LLMSummarizer(options: options, transport: transport).fingerprint != base)
    }

    @Test func detectsTheLanguageOfADocument() {
        #expect(Language.detect("The keeper climbed the tower.") == .english)
        #expect(Language.detect("老周的书店开在运河边一条窄巷的尽头。") == .chinese)
        #expect(Language.detect("Report 报告: 运河边的书店开张了，老周很高兴 and more") == .chinese)
    }
}
