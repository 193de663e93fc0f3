import Checkpoint
import Chunking
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// The built `precis` against llama.cpp's real OpenAI-compatible server (`make test-integration`).
///
/// The model is SmolLM2-135M-Instruct, a real instruct model, served with a 1024-token window so
/// that the long sample needs a tree of three levels; the tokenizer, the chat template and the
/// streams without `usage` are the server's own, so what passes here passes against a server
/// written by others. Every pipeline here decodes greedily, so a rerun grows the same tree.
@Suite(.serialized, .enabled(if: LlamaServer.available, "make test-integration starts the llama.cpp server"))
struct LlamaCppIntegrationTests {

    /// Starts `precis run` over `input` (the samples) with `pipeline`.
    func run(
        _ pipeline: String, out: URL, input: URL = TestSupport.samples, key: String? = nil,
        url: String? = LlamaServer.baseURL
    ) async throws -> PrecisProcess {
        var environment = ["OPENAI_BASE_URL": url ?? ""]
        environment["OPENAI_API_KEY"] = key
        return try PrecisProcess(
            ["run", input.path, "--pipeline", pipeline, "--out", out.path], environment: environment)
    }

    /// A folder holding only the samples at `paths`, under the same relative paths.
    func samples(_ paths: [String], in dir: URL) throws -> URL {
        let folder = dir.appendingPathComponent("input")
        for path in paths {
            let copy = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: TestSupport.samples.appendingPathComponent(path), to: copy)
        }
        return folder
    }

    /// Words each sample's summary must share with it, in English and in Chinese: a page that
    /// names none of them is not about its document.
    static let distinctive = [
        "en/harrow-point.txt": ["Harrow", "lighthouse", "keeper", "Mara"],
        "zh/运河边的书店.txt": ["书店", "运河", "老周", "老陈", "书"],
        "pdf/茶叶简史.pdf": ["茶"],
        "pdf/community-solar-report.pdf": ["solar", "Solar"]
    ]

    /// Every sample summarized by the model, each page about its document.
    func expectEveryPageAboutItsDocument(_ out: URL, status: Int32, process: PrecisProcess, count: Int = 4) throws
        -> [String: RunReport.File]
    {
        #expect(status == 0, "\(process.stderr)")
        let files = try readFiles(out)
        #expect(files.count == count)
        for (path, file) in files {
            #expect(file.status == .ok, "\(path): \(file.error ?? "")")
            let page = try String(contentsOf: out.appendingPathComponent("\(path).md"), encoding: .utf8)
            // The summary is what follows the front matter and the page's title line.
            let body = page.components(separatedBy: "\n---\n").dropFirst().joined()
                .components(separatedBy: "\n").dropFirst(2).joined(separator: "\n")
            #expect(TokenEstimator().estimate(body) >= 40, "\(path) has no summary: \(body)")
            #expect(
                Self.distinctive[path, default: []].contains { body.contains($0) },
                "\(path)'s summary names nothing of its document: \(body.prefix(300))")
        }
        return files
    }

    /// Every sample summarized, the long one through at least three levels, no call refused for length.
    func expectEverySampleSummarized(_ out: URL, status: Int32, process: PrecisProcess, label: String) throws {
        let files = try expectEveryPageAboutItsDocument(out, status: status, process: process)
        let long = try #require(files["en/harrow-point.txt"])
        let levels = long.levels
        #expect(levels >= 3, "the \(LlamaServer.window)-token window should force a tree of three levels")
        #expect((long.chunks) > 1)
        #expect(!process.stderr.contains("do not fit"), "a call was refused for length")
        #expect(
            process.stderr.contains("token ratio") && process.stderr.contains("/extras/tokenize/count"),
            "the run should count tokens with the server's tokenizer")
        let totals = try readTotals(out)
        let seconds = try readReport(out).seconds
        print(
            "llama.cpp \(label): \(totals.callsMade) calls made, depth \(levels) on \(long.chunks) chunks of en/harrow-point.txt, \(String(format: "%.1f", seconds)) s"
        )
    }

    @Test func streamingRunSummarizesEverySampleAndMarksTokenCountsAsEstimates() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let process = try await run(try LlamaServer.pipeline(in: dir), out: out)
        try expectEverySampleSummarized(out, status: try await process.exit(), process: process, label: "streaming")

        // llama.cpp's streams carry no usage: every count is precis's estimate, and says so.
        let totals = try readTotals(out)
        #expect(totals.tokensEstimated == true)
        #expect((totals.promptTokens) > 0, "estimates, not zeros")
        for (path, file) in try readFiles(out) {
            #expect(file.tokensEstimated == true, "\(path)")
            let page = try String(contentsOf: out.appendingPathComponent("\(path).md"), encoding: .utf8)
            #expect(page.contains("tokens_estimated: true"), "\(path)")
        }
        #expect(process.stdout.contains("tokens ~") || process.stderr.contains("tokens ~"))

        // The ratio the run measured is kept, so an offline estimate plans the same chunks.
        let store = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false)
        let server = try #require(LlamaServer.baseURL)
        let facts = try #require(try await store.serverFacts(server: server, model: "local"))
        #expect((facts.tokenRatio ?? 0) > 0.5 && facts.ratioSource?.contains("tokenize") == true, "\(facts)")
        let estimate = try await PrecisProcess.run(
            ["estimate", TestSupport.samples.path, "--pipeline", try LlamaServer.pipeline(in: dir), "--out", out.path],
            environment: ["OPENAI_BASE_URL": server])
        #expect(estimate.stdout.contains("4 unchanged"), "\(estimate.stdout)")
    }

    @Test func nonStreamingRunCountsWithTheServersUsage() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        // Two samples, Chinese text and an English PDF: the streaming run has shown the whole tree.
        let input = try samples(["zh/运河边的书店.txt", "pdf/community-solar-report.pdf"], in: dir)
        let process = try await run(try LlamaServer.pipeline("stream: false", in: dir), out: out, input: input)
        let files = try expectEveryPageAboutItsDocument(
            out, status: try await process.exit(), process: process, count: 2)
        let totals = try readTotals(out)
        #expect(totals.tokensEstimated == false, "non-streaming answers carry usage")
        #expect(totals.requests >= totals.callsMade, "every request the server answered is counted: \(totals)")
        print(
            "llama.cpp non-streaming: \(totals.callsMade) calls, \(totals.requests) requests, \(totals.truncatedCalls) cut, "
                + "\(files.values.map(\.levels).max() ?? 0) levels at most")
    }

    @Test func killedMidRunThenRerunFinishesWithoutRepeatingAFinishedCall() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try LlamaServer.pipeline(in: dir)
        let storeURL = out.appendingPathComponent(".precis/state.sqlite")
        func stored() async -> Set<String> {
            guard FileManager.default.fileExists(atPath: storeURL.path),
                let store = try? await CheckpointStore(url: storeURL, create: false)
            else { return [] }
            return (try? await store.callKeys()) ?? []
        }

        let first = try await run(pipeline, out: out)
        // The store is read only once the run has opened it, and a few times a second, not in a spin.
        #expect(
            try await PrecisProcess.until(.seconds(120)) { first.stderr.contains("token ratio") }, "\(first.stderr)")
        let deadline = ContinuousClock.now + .seconds(300)
        while await stored().count < 8 && first.process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
        }
        first.signal(SIGKILL)
        #expect(try await first.exit() == 128 + SIGKILL)
        let finished = await stored()
        #expect(finished.count >= 8)

        let second = try await run(pipeline, out: out)
        try expectEverySampleSummarized(out, status: try await second.exit(), process: second, label: "after kill -9")
        let all = await stored()
        let totals = try readTotals(out)
        #expect(finished.isSubset(of: all))
        // Every call the rerun made is one the store did not hold: none finished before was paid again.
        #expect(totals.callsMade == all.count - finished.count, "\(totals)")
        #expect(totals.callsReused >= finished.count, "\(totals)")
    }

    @Test func extractThenAbstractWritesEachSummaryInOneCall() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        // The shipped smollm2 pipeline, its extract cut to what the 1024-token window holds.
        let pipeline = try LlamaServer.pipeline(
            "extract_tokens: 500", extending: "smollm2", named: "smollm2-small.yaml", in: dir)
        let process = try await run(pipeline, out: out)
        let files = try expectEveryPageAboutItsDocument(out, status: try await process.exit(), process: process)
        for (path, file) in files { #expect(file.levels == 1, "\(path) took \(file.levels) levels") }
        let totals = try readTotals(out)
        #expect(totals.callsMade == 4, "one call per document: \(totals)")
        #expect(totals.tokensEstimated == false, "smollm2 does not stream: the server counts")
        let long = try #require(files["en/harrow-point.txt"])
        print(
            "llama.cpp extract-abstract: \(totals.callsMade) calls, \(totals.promptTokens) prompt tokens, en/harrow-point.txt in \(long.levels) level"
        )
    }

    @Test func aKeyRefusedInDetailShapeStopsTheRunAsKeyRefused() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let process = try await run(
            try LlamaServer.pipeline(in: dir), out: out, key: "not-the-key", url: LlamaServer.keyedURL)
        #expect(try await process.exit() == 4, "\(process.stderr)")
        #expect(process.stderr.contains("the API key was refused: Invalid API key"), "\(process.stderr)")
    }
}
