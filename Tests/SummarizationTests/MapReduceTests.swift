import Chunking
import Summarization
import Synchronization
import Testing

/// A summarizer that keeps the first `keep` characters of each input, so sizes are predictable.
struct PrefixSummarizer: Summarizer {
    var keep: Int
    var fingerprint: String { "prefix-\(keep)" }
    func maxOutputTokens(for stage: Stage) -> Int { keep }
    func summarize(_ inputs: [String], stage: Stage, context: SummaryContext) async throws -> Summary {
        Summary(text: String(inputs.joined(separator: " ").prefix(keep)), promptTokens: 1, completionTokens: 1)
    }
}

/// An executor that runs every call and records it, reusing by key like the real store.
final class RecordingExecutor: CallExecutor, Sendable {
    let calls = Mutex<[SummaryCall]>([])
    let stored = Mutex<[String: Summary]>([:])

    func execute(_ call: SummaryCall, summarizer: any Summarizer) async throws -> CallOutcome {
        if let summary = stored.withLock({ $0[call.key] }) { return CallOutcome(summary: summary, reused: true) }
        let summary = try await summarizer.summarize(call.inputs, stage: call.stage, context: call.context)
        calls.withLock { $0.append(call) }
        stored.withLock { $0[call.key] = summary }
        return CallOutcome(summary: summary, reused: false)
    }
}

struct MapReduceTests {
    func chunks(_ count: Int, size: Int = 400) -> [Chunk] {
        (0..<count).map { i in
            let text = "Chunk \(i) " + String(repeating: "text \(i) ", count: size / 2)
            return Chunk(index: i, text: text, tokens: TokenEstimator().estimate(text))
        }
    }

    @Test func singleChunkIsOneFinalCall() async throws {
        let executor = RecordingExecutor()
        let result = try await MapReduce(budget: 2000).summarize(
            documentID: "d", title: "T", chunks: chunks(1), summarizer: PrefixSummarizer(keep: 50), executor: executor)
        #expect(result.levels == 1)
        #expect(executor.calls.withLock { $0.map(\.stage) } == [.final])
    }

    @Test func reducesLevelByLevelUntilOneSummaryRemains() async throws {
        let executor = RecordingExecutor()
        let tree = MapReduce(budget: 120)
        let result = try await tree.summarize(
            documentID: "d", title: "T", chunks: chunks(20), summarizer: PrefixSummarizer(keep: 60), executor: executor)
        let calls = executor.calls.withLock { $0 }
        #expect(result.levels >= 3)
        #expect(calls.filter { $0.stage == .map }.count == 20)
        #expect(calls.filter { $0.stage == .final }.count == 1)
        #expect(calls.last?.stage == .final)
        #expect(result.callsMade == calls.count)
        for call in calls where call.stage != .map {
            #expect(TokenEstimator().estimate(call.inputs) + call.inputs.count <= 120)
        }
    }

    @Test func aRerunReusesEveryCall() async throws {
        let executor = RecordingExecutor()
        let tree = MapReduce(budget: 120)
        let first = try await tree.summarize(
            documentID: "d", title: "T", chunks: chunks(12), summarizer: PrefixSummarizer(keep: 60), executor: executor)
        let second = try await tree.summarize(
            documentID: "d", title: "T", chunks: chunks(12), summarizer: PrefixSummarizer(keep: 60), executor: executor)
        #expect(second.callsMade == 0)
        #expect(second.callsReused == first.callsMade)
        #expect(second.summary == first.summary)
    }

    @Test func aChangedChunkRepeatsOnlyTheCallsAboveIt() async throws {
        let executor = RecordingExecutor()
        let tree = MapReduce(budget: 120)
        var input = chunks(12)
        let first = try await tree.summarize(
            documentID: "d", title: "T", chunks: input, summarizer: PrefixSummarizer(keep: 60), executor: executor)
        // The first chunk's summary leads every group above it, so the change reaches the root.
        input[0].text = "Changed " + input[0].text
        let second = try await tree.summarize(
            documentID: "d", title: "T", chunks: input, summarizer: PrefixSummarizer(keep: 60), executor: executor)
        // One call per level: the changed map call and each group above it; the rest are reused.
        #expect(second.callsMade == first.levels)
        #expect(second.callsReused > 0)
    }

    @Test func stopsADocumentWhoseLevelsDoNotShrink() async throws {
        await #expect {
            try await MapReduce(budget: 120).summarize(
                documentID: "d", title: "T", chunks: chunks(6), summarizer: PrefixSummarizer(keep: 100_000),
                executor: RecordingExecutor())
        } throws: { ($0 as? SummarizationError)?.code == .doesNotConverge }
    }

    @Test func capsTheDepth() async throws {
        await #expect {
            try await MapReduce(budget: 120, maxLevels: 2).summarize(
                documentID: "d", title: "T", chunks: chunks(40), summarizer: PrefixSummarizer(keep: 60),
                executor: RecordingExecutor())
        } throws: { ($0 as? SummarizationError)?.code == .tooDeep }
    }

    @Test func callKeysDependOnEveryInputField() {
        let context = SummaryContext(title: "T", headingPath: ["A"])
        let base = SummaryCall.key(fingerprint: "f", stage: .map, inputs: ["x", "y"], context: context)
        #expect(base == SummaryCall.key(fingerprint: "f", stage: .map, inputs: ["x", "y"], context: context))
        #expect(base != SummaryCall.key(fingerprint: "g", stage: .map, inputs: ["x", "y"], context: context))
        #expect(base != SummaryCall.key(fingerprint: "f", stage: .reduce, inputs: ["x", "y"], context: context))
        #expect(base != SummaryCall.key(fingerprint: "f", stage: .map, inputs: ["xy"], context: context))
        #expect(
            base
                != SummaryCall.key(
                    fingerprint: "f", stage: .map, inputs: ["x", "y"], context: SummaryContext(title: "T")))
        #expect(base.count == 64)
    }
}
