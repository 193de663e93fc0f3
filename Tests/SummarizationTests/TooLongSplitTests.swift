import ChatAPI
import Chunking
import Summarization
import Testing

/// A summarizer whose server counts more than the estimate: any call over `limit` estimated tokens
/// is refused as too long, the way a 400 for length or the window check refuses it.
struct StrictSummarizer: Summarizer {
    var limit: Int
    var keep = 60
    var refuseAs: (any Error & Sendable)? = nil
    var fingerprint: String { "strict-\(limit)" }
    func maxOutputTokens(for stage: Stage) -> Int { keep }
    func summarize(_ inputs: [String], stage: Stage, context: SummaryContext) async throws -> Summary {
        let tokens = TokenEstimator().estimate(inputs.joined(separator: " "))
        if tokens > limit {
            throw refuseAs ?? SummarizationError(.tooLong, "a \(tokens)-token prompt does not fit")
        }
        return Summary(
            text: String(inputs.joined(separator: " ").prefix(keep)), promptTokens: tokens, completionTokens: 10)
    }
}

struct TooLongSplitTests {
    func paragraphs(_ count: Int) -> String {
        (0..<count).map {
            "Paragraph \($0) tells how the keeper trimmed the wick, logged the weather and watched the sea until dawn."
        }
        .joined(separator: "\n\n")
    }

    @Test(arguments: [false, true])
    func aCallTooLongForTheServerIsSplitAndTheDocumentStillFinishes(serverRefuses: Bool) async throws {
        let refusal =
            serverRefuses
            ? ChatAPIError(.contextLength, status: 400, "Your request exceeded model token limit: 8192") : nil
        let summarizer = StrictSummarizer(limit: 300, refuseAs: refusal)
        let executor = RecordingExecutor()
        let text = paragraphs(30)
        let chunks = Chunker(budget: 1000, estimator: TokenEstimator()).chunks(of: text)
        let result = try await MapReduce(budget: 1000).summarize(
            documentID: "d", title: "T", chunks: chunks,
            summarizer: summarizer, executor: executor)
        #expect(!result.summary.text.isEmpty)
        let made = executor.calls.withLock { $0 }
        #expect(result.callsMade == made.count, "every part's call is counted")
        #expect(made.allSatisfy { TokenEstimator().estimate($0.inputs.joined(separator: " ")) <= 300 })
        #expect(
            result.promptTokens == made.reduce(0) { $0 + TokenEstimator().estimate($1.inputs.joined(separator: " ")) })

        // Run again: every part is found by its key, so nothing is made twice.
        let again = try await MapReduce(budget: 1000).summarize(
            documentID: "d", title: "T", chunks: chunks,
            summarizer: summarizer, executor: executor)
        #expect(again.callsMade == 0)
        #expect(again.summary.text == result.summary.text)
    }

    @Test func aPieceTooSmallToCutStillFailsSayingItIsTooLong() async throws {
        let executor = RecordingExecutor()
        let chunks = Chunker(budget: 1000, estimator: TokenEstimator()).chunks(of: paragraphs(3))
        await #expect {
            try await MapReduce(budget: 1000).summarize(
                documentID: "d", title: "T", chunks: chunks,
                summarizer: StrictSummarizer(limit: 10), executor: executor)
        } throws: {
            ($0 as? SummarizationError)?.code == .tooLong
        }
    }

    @Test func otherFailuresAreNotSplit() async throws {
        let refusal = ChatAPIError(.badRequest, status: 400, "invalid temperature")
        let executor = RecordingExecutor()
        let chunks = Chunker(budget: 1000, estimator: TokenEstimator()).chunks(of: paragraphs(30))
        await #expect(throws: ChatAPIError.self) {
            try await MapReduce(budget: 1000).summarize(
                documentID: "d", title: "T", chunks: chunks,
                summarizer: StrictSummarizer(limit: 300, refuseAs: refusal), executor: executor)
        }
        #expect(executor.calls.withLock { $0 }.isEmpty)
    }
}
