import Chunking
import Foundation
import Logging
import Pipeline
import PrecisTesting
import Scheduling

// `make bench`: the scheduler against the fake Moonshot server, with real latency and limits.
// Figures print one per line with their target; nothing here is a test.

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("precis-bench-\(getpid())")
let corpus = try BenchCorpus.make(
    in: scratch.appendingPathComponent("corpus"), samples: root.appendingPathComponent("samples"))
var logger = Logger(label: "bench")
logger.logLevel = .critical

func pipeline(_ extra: String) throws -> PipelineConfig {
    try PipelineLoader.parse(
        """
        name: bench
        backend: openai-compatible
        model: moonshot-v1-8k
        chunking:
          chunk_tokens: 600
        max_tokens: {map: 200, reduce: 250, final: 300}
        retries: {max_attempts: 8, base_delay_ms: 50, max_delay_ms: 2000}
        \(extra)
        """, file: "bench.yaml")
}

struct Outcome {
    var report: RunReport
    var stats: FakeServerStats
    var seconds: Double
    var start: ContinuousClock.Instant
    var end: ContinuousClock.Instant
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func run(_ name: String, server: FakeServerConfiguration, pipeline extra: String, concurrency: Int) async throws
    -> Outcome
{
    let fake = try await FakeMoonshotServer.start(server)
    let out = scratch.appendingPathComponent("out-\(name)")
    try? FileManager.default.removeItem(at: out)
    let options = RunOptions(
        inputs: [corpus.path], outputDirectory: out, concurrency: concurrency,
        environment: ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": fake.baseURL])
    let clock = ContinuousClock()
    let start = clock.now
    let report = try await FolderRun(options: options, config: try pipeline(extra), logger: logger).run()
    let elapsed = clock.now - start
    let stats = fake.stats
    await fake.stop()
    return Outcome(report: report, stats: stats, seconds: seconds(elapsed), start: start, end: start + elapsed)
}

func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

line("precis benchmarks: the scheduler on 24 documents of mixed sizes (\(corpus.path)), then the cron rerun")
/// BENCH_ONLY=makespan,context,estimate,rpm,tpm,unknown,faults,rerun,ingest,countsmore,papers,offline,chunk,estimator,extractive,memory,fleet runs a subset.
let only = ProcessInfo.processInfo.environment["BENCH_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
func wanted(_ name: String) -> Bool { only?.contains(name) ?? true }

// 1. Makespan against its lower bound: C = 8, latency L, no rate limit.
if wanted("makespan") {
    let latencies: [Double] =
        ProcessInfo.processInfo.environment["BENCH_LATENCY_MS"].flatMap(Double.init).map { [$0] } ?? [100, 400]
    for ms in latencies {
        let latency = ms / 1000
        let free = try await run(
            "free-\(Int(ms))", server: FakeServerConfiguration(latency: .milliseconds(Int(ms))), pipeline: "",
            concurrency: 8)
        let requests = Double(free.stats.chatRequests)
        let chain = Double(free.report.files.map { $0.levels }.max() ?? 1)
        let bound = max(requests * latency / 8, chain * latency)
        // Where the time beyond the bound goes: before the first request, idle slots, after the last.
        let timeline = free.stats.timeline
        let first = timeline.map(\.start).min() ?? free.start
        let last = timeline.map(\.end).max() ?? free.end
        let busy = timeline.reduce(0.0) { $0 + seconds($1.end - $1.start) }
        let idle = 8 * seconds(last - first) - busy
        line(
            "  breakdown   before first request \(f(seconds(first - free.start))) s, idle slot-seconds while running \(f(idle)) (= \(f(idle / 8)) s of the pool), after last answer \(f(seconds(free.end - last))) s"
        )
        line(
            "makespan      C=8 L=\(Int(ms))ms: \(free.stats.chatRequests) requests, longest chain \(Int(chain)), \(f(free.seconds)) s vs lower bound \(f(bound)) s: ratio \(f(free.seconds / bound)) (target ≤ 1.10); peak concurrency \(free.stats.peakConcurrency); 429s \(free.stats.tooManyRequests)"
        )
    }
}

// 1b. What carrying context costs: `previous` runs each document's levels in order.
if wanted("context") {
    var runs: [(String, Outcome)] = []
    for mode in ["none", "headings", "previous"] {
        runs.append(
            (
                mode,
                try await run(
                    "context-\(mode)", server: FakeServerConfiguration(latency: .milliseconds(100)),
                    pipeline: "context: \(mode)", concurrency: 8)
            ))
    }
    let base = runs[1].1
    for (mode, outcome) in runs {
        line(
            "context       \(mode.padding(toLength: 8, withPad: " ", startingAt: 0)) C=8 L=100ms: \(outcome.stats.completed) calls, \(outcome.report.totals.promptTokens) prompt tokens, makespan \(f(outcome.seconds)) s = \(f(outcome.seconds / base.seconds))× headings; \(outcome.report.totals.ok)/24 ok"
        )
    }
}

// 1c. The estimate against the run it predicts, on deep trees (600-token chunks).
if wanted("estimate") {
    let fake = try await FakeMoonshotServer.start(FakeServerConfiguration())
    let out = scratch.appendingPathComponent("out-estimate")
    try? FileManager.default.removeItem(at: out)
    let options = RunOptions(
        inputs: [corpus.path], outputDirectory: out, concurrency: 8,
        environment: ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": fake.baseURL])
    let plan = try await RunPlanner(options: options, config: try pipeline("")).estimate()
    let report = try await FolderRun(options: options, config: try pipeline(""), logger: logger).run()
    await fake.stop()
    let used = report.totals.promptTokens + report.totals.completionTokens
    let expected = plan.promptTokens + plan.completionTokens
    line(
        "estimate      24 documents, trees up to \(plan.levels) levels: \(plan.calls) calls estimated, \(report.totals.callsMade) made (\(f(Double(plan.calls) / Double(max(1, report.totals.callsMade)), 3))×); tokens \(expected) estimated, \(used) used (\(f(Double(expected) / Double(max(1, used)), 3))×, target within 10%); upper bound \(plan.promptTokensMax + plan.completionTokensMax)"
    )
}

// 2. RPM binds: tier 0 scaled down in time (a 2-second "minute"), limits known to precis.
let window = 2.0
let rpmServer = FakeServerConfiguration(latency: .milliseconds(20), concurrency: 2, rpm: 6, window: .seconds(2))
if wanted("rpm") {
    let rpm = try await run(
        "rpm", server: rpmServer, pipeline: "limits: {concurrency: 2, rpm: 6, window_seconds: \(window)}",
        concurrency: 2)
    let rpmShare = Double(rpm.stats.chatRequests) / (rpm.seconds / window * 6)
    line(
        "rpm binding   6 per \(Int(window)) s window: \(rpm.stats.chatRequests) requests in \(f(rpm.seconds)) s: \(f(rpmShare * 100, 1))% of the limit used (target ≥ 90%); 429s \(rpm.stats.tooManyRequests) (target 0)"
    )

}

// 3. TPM binds: charged as prompt + max_tokens.
if wanted("tpm") {
    let tpm = 8_000
    let tpmServer = FakeServerConfiguration(latency: .milliseconds(20), tpm: tpm, window: .seconds(1))
    let tpmRun = try await run(
        "tpm", server: tpmServer, pipeline: "limits: {tpm: \(tpm), window_seconds: 1}", concurrency: 8)
    let tpmShare = Double(tpmRun.stats.chargedTokens) / (tpmRun.seconds / 1.0 * Double(tpm))
    line(
        "tpm binding   \(tpm) per 1 s window: \(tpmRun.stats.chargedTokens) tokens charged in \(f(tpmRun.seconds)) s: \(f(tpmShare * 100, 1))% of the limit used (target ≥ 90%); 429s \(tpmRun.stats.tooManyRequests) (target 0)"
    )

}

// 4. Without telling precis the limits, the server's 429s slow everyone down instead of hammering.
if wanted("unknown") {
    let blind = try await run("blind", server: rpmServer, pipeline: "", concurrency: 8)
    line(
        "rpm unknown   same server, no limits given: \(blind.report.totals.ok)/24 ok, 429s \(blind.stats.tooManyRequests), retries \(blind.report.totals.retries), \(f(blind.seconds)) s"
    )

}

// 5. 10% faults of every retryable kind.
if wanted("faults") {
    let faulty = try await run(
        "faults", server: FakeServerConfiguration(latency: .milliseconds(10), faultRate: 0.10, seed: 2026),
        pipeline: "", concurrency: 8)
    let needed = faulty.stats.completed
    let extra = faulty.stats.chatRequests - needed
    line(
        "faults 10%    \(faulty.report.totals.ok)/24 documents ok (target 24), \(faulty.stats.injectedFaults) faults, \(extra) extra requests for \(needed) needed: \(f(Double(extra) / Double(max(needed, 1)) * 100, 1))% (target ≤ 15%)"
    )

}

// 6. The cron case: a rerun over 1,000 unchanged files.
if wanted("rerun") {
    let files = scratch.appendingPathComponent("rerun-in")
    let out = scratch.appendingPathComponent("rerun-out")
    try RerunBench.makeFiles(1000, in: files, samples: root.appendingPathComponent("samples"))
    let first = try RerunBench.precis(["run", files.path, "--out", out.path, "-q"])
    let again = try RerunBench.precis(["run", files.path, "--out", out.path, "-q"])
    let rehash = try RerunBench.precis(["run", files.path, "--out", out.path, "-q", "--rehash"])
    let status = try RerunBench.precis(["status", out.path])
    line(
        "rerun         1000 unchanged files: \(f(again.seconds)) s (target < 2 s), exit \(again.status): \(again.summary)"
    )
    line(
        "  for scale   first run (extractive) \(f(first.seconds)) s; rerun with --rehash (reads and hashes every file) \(f(rehash.seconds)) s; precis status \(f(status.seconds)) s"
    )
}

// 7. Ingest: PDF pages per second against pdftotext, one worker and all cores; tokens cleaning saves.
if wanted("ingest") {
    if let corpus = IngestBench.corpus(root: root) {
        try IngestBench.firstSixty(corpus: corpus, line: line)
        let pdfs = try IngestBench.pdfs(in: corpus)
        let pages = Double(pdfs.reduce(0) { $0 + $1.pages })
        let precis = RerunBench.binary
        // pdftotext per file in one shell loop, everything written to /dev/null (see firstSixty).
        let loop = "for f in \"$@\"; do /usr/bin/pdftotext \"$f\" /dev/null; done"
        let anchor = try IngestBench.time("/bin/sh", ["-c", loop, "sh"] + pdfs.map(\.path), discardOutput: true).seconds
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let one = try IngestBench.time(
            precis, ["extract", "--jobs", "1", "--ocr", "never"] + pdfs.map(\.path), discardOutput: true)
        let all = try IngestBench.time(
            precis, ["extract", "--jobs", "\(cores)", "--ocr", "never"] + pdfs.map(\.path), discardOutput: true)
        line(
            "ingest        \(pdfs.count) corpus PDFs, \(Int(pages)) pages, OCR off: pdftotext \(f(pages / anchor, 0)) pages/s; precis extract 1 worker \(f(pages / one.seconds, 0)) pages/s = \(f(anchor / one.seconds))× (target ≥ 0.95), \(cores) workers \(f(pages / all.seconds, 0)) pages/s = \(f(anchor / all.seconds))× (target ≥ 1.8 on 2 cores); exit \(one.status)"
        )
        let inputs = ["pdf", "txt", "zh"].map { corpus.appendingPathComponent($0).path }
        let raw = try IngestBench.tokens(precis, inputs, raw: true)
        let cleaned = try IngestBench.tokens(precis, inputs, raw: false)
        line(
            "cleaning      corpus tokens (estimate) \(raw) raw → \(cleaned) cleaned: \(f(Double(raw - cleaned) / Double(max(raw, 1)) * 100, 1))% fewer (running headers, page numbers, hyphenation, wraps)"
        )
    } else {
        line("ingest        skipped: no corpus; `make corpus` builds one in .build/corpus (or set CORPUS=DIR)")
    }
}

// 8. A server that counts more than the estimate: every corpus text still finishes.
if wanted("countsmore") {
    if let corpus = IngestBench.corpus(root: root) {
        try await CountsMoreBench.report(corpus: corpus, scratch: scratch, line: line)
    } else {
        line("counts-more   skipped: no corpus; `make corpus` builds one in .build/corpus (or set CORPUS=DIR)")
    }
}

// 9. The offline default on real papers, end to end, against sumy doing the same job.
if wanted("papers") {
    try PaperBench.report(root: root, scratch: scratch, line: line)
}

// 10. The offline default end to end on about 5 MB of corpus documentation, against sumy.
if wanted("offline") {
    if let corpus = IngestBench.corpus(root: root) {
        try OfflineRunBench.report(corpus: corpus, root: root, scratch: scratch, line: line)
    } else {
        line("offline run   skipped: no corpus; `make corpus` builds one in .build/corpus (or set CORPUS=DIR)")
    }
}

// 11. The local stages on the corpus text, against the Python tools people use for them.
if wanted("chunk") || wanted("extractive") || wanted("estimator") || wanted("memory") {
    if let corpus = IngestBench.corpus(root: root) {
        try await LocalBench.report(corpus: corpus, root: root, scratch: scratch, wanted: wanted, line: line)
    } else {
        line("local stages  skipped: no corpus; `make corpus` builds one in .build/corpus (or set CORPUS=DIR)")
    }
}

// 12. Many workers on one PostgreSQL: admissions through the shared limiter, and 1, 2, 3 workers' makespans.
if wanted("fleet") {
    try await FleetBench.report(scratch: scratch, line: line)
}

try? FileManager.default.removeItem(at: scratch)
