import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// The built `precis` against llama.cpp's real OpenAI-compatible server (`make test-integration`).
///
/// The 2048-token window, the 512-token vocabulary and the streams without `usage` are the
/// server's own, so what passes here passes against a server written by others.
@Suite(.serialized, .enabled(if: LlamaServer.available, "make test-integration starts the llama.cpp server"))
struct LlamaCppIntegrationTests {

    /// Runs `precis run samples` with `pipeline` to its end and returns its stdout, stderr and status.
    func run(_ pipeline: String, out: URL, key: String? = nil, url: String? = LlamaServer.baseURL) async throws -> PrecisProcess {
        var environment = ["OPENAI_BASE_URL": url ?? ""]
        environment["OPENAI_API_KEY"] = key
        return try PrecisProcess(["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path], environment: environment)
    }

    /// Every sample summarized, the long one through at least two levels, no call refused for length.
    func expectEverySampleSummarized(_ out: URL, status: Int32, process: PrecisProcess, label: String) throws {
        #expect(status == 0, "\(process.stderr)")
        let files = try readFiles(out)
        #expect(files.count == 4)
        for (path, file) in files {
            #expect(file.status == .ok, "\(path): \(file.error ?? "")")
            let page = try String(contentsOf: out.appendingPathComponent("\(path).md"), encoding: .utf8)
            #expect(page.count > 200, "\(path) has no summary")
        }
        let long = try #require(files["en/harrow-point.txt"])
        let levels = long.levels
        #expect(levels >= 2, "the 2048-token window should force summaries of summaries")
        #expect((long.chunks) > 1)
        #expect(!process.stderr.contains("do not fit"), "a call was refused for length")
        #expect(process.stderr.contains("token ratio") && process.stderr.contains("/extras/tokenize/count"),
                "the run should count tokens with the server's tokenizer")
        let totals = try readTotals(out)
        let seconds = try readReport(out).seconds
        print("llama.cpp \(label): \(totals.callsMade) calls made, depth \(levels) on \(long.chunks) chunks of en/harrow-point.txt, \(String(format: "%.1f", seconds)) s")
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
        let store = try CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false)
        let server = try #require(LlamaServer.baseURL)
        let facts = try #require(try store.serverFacts(server: server, model: "local"))
        #expect((facts.tokenRatio ?? 0) > 1.5, "a 512-token vocabulary counts far more than the estimate")
        let estimate = try await PrecisProcess.run(["estimate", TestSupport.samples.path, "--pipeline", try LlamaServer.pipeline(in: dir), "--out", out.path],
                                      environment: ["OPENAI_BASE_URL": server])
        #expect(estimate.stdout.contains("4 unchanged"), "\(estimate.stdout)")
    }

    @Test func nonStreamingRunSummarizesEverySampleWithTheServersUsage() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let process = try await run(try LlamaServer.pipeline("stream: false", in: dir), out: out)
        try expectEverySampleSummarized(out, status: try await process.exit(), process: process, label: "non-streaming")
        let totals = try readTotals(out)
        #expect(totals.tokensEstimated == false, "non-streaming answers carry usage")
    }

    @Test func killedMidRunThenRerunFinishesWithoutRepeatingAFinishedCall() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try LlamaServer.pipeline(in: dir)
        let storeURL = out.appendingPathComponent(".precis/state.sqlite")
        func stored() -> Set<String> {
            guard FileManager.default.fileExists(atPath: storeURL.path),
                  let store = try? CheckpointStore(url: storeURL, create: false) else { return [] }
            return (try? store.callKeys()) ?? []
        }

        let first = try await run(pipeline, out: out)
        // The store is read only once the run has opened it, and a few times a second, not in a spin.
        #expect(try await PrecisProcess.until(.seconds(120)) { first.stderr.contains("token ratio") }, "\(first.stderr)")
        let deadline = ContinuousClock.now + .seconds(300)
        while stored().count < 8 && first.process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
        }
        first.signal(SIGKILL)
        #expect(try await first.exit() == 128 + SIGKILL)
        let finished = stored()
        #expect(finished.count >= 8)

        let second = try await run(pipeline, out: out)
        try expectEverySampleSummarized(out, status: try await second.exit(), process: second, label: "after kill -9")
        let all = stored()
        let totals = try readTotals(out)
        #expect(finished.isSubset(of: all))
        // Every call the rerun made is one the store did not hold: none finished before was paid again.
        #expect(totals.callsMade == all.count - finished.count, "\(totals)")
        #expect(totals.callsReused >= finished.count, "\(totals)")
    }

    @Test func aKeyRefusedInDetailShapeStopsTheRunAsKeyRefused() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let process = try await run(try LlamaServer.pipeline(in: dir), out: out, key: "not-the-key", url: LlamaServer.keyedURL)
        #expect(try await process.exit() == 4, "\(process.stderr)")
        #expect(process.stderr.contains("the API key was refused: Invalid API key"), "\(process.stderr)")
    }
}
