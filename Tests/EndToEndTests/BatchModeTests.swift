import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// `mode: batch` end to end: the built binary, run as cron runs it, against the fake platform's
/// Files and Batch APIs, whose batches take about a second.
@Suite(.serialized)
struct BatchModeTests {
    static let environment = ["MOONSHOT_API_KEY": "sk-test"]

    /// What a series of cron runs added up to.
    struct Series {
        var runs = 0
        var statuses: [Int32] = []
        var callsMade = 0
        var batchCalls = 0
        var cost = 0.0
        var last: PrecisProcess.Result?
    }

    /// Runs `precis run` over the samples until it exits with something other than 5 ("come back later").
    static func cron(
        _ pipeline: String, server: FakeMoonshotServer, out: URL, extra: [String] = [], failpoint: String? = nil,
        limit: Int = 40
    ) async throws -> Series {
        var series = Series()
        while series.runs < limit {
            var environment = Self.environment.merging(["MOONSHOT_BASE_URL": server.baseURL]) { $1 }
            if let failpoint { environment["PRECIS_FAILPOINT"] = failpoint }
            let result = try await PrecisProcess.run(
                ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "--json"] + extra,
                environment: environment)
            series.runs += 1
            series.statuses.append(result.status)
            series.last = result
            if let report = try? JSONOutput.decode(RunReport.self, from: Data(result.stdout.utf8)) {
                series.callsMade += report.totals.callsMade
                series.batchCalls += report.totals.batchCalls
                series.cost += report.totals.cost
            }
            guard result.status == 5 else { break }
            try await Task.sleep(for: .milliseconds(400))
        }
        return series
    }

    static func server(
        _ configuration: FakeServerConfiguration = FakeServerConfiguration(batchPhase: .milliseconds(250))
    ) async throws -> FakeMoonshotServer {
        try await FakeMoonshotServer.start(configuration)
    }

    /// The summaries of a folder, front matter left out, by path.
    static func summaries(_ out: URL) throws -> [String: String] {
        var pages: [String: String] = [:]
        for (path, file) in try readFiles(out) {
            let page = try String(contentsOf: out.appendingPathComponent(file.output ?? path + ".md"), encoding: .utf8)
            pages[path] = page.components(separatedBy: "\n---\n").dropFirst().joined(separator: "\n---\n")
        }
        return pages
    }

    /// Files summarized by the last run or by an earlier one.
    static func done(_ out: URL) throws -> Int {
        let totals = try readTotals(out)
        return totals.ok + totals.skipped
    }

    /// A pipeline over `kimi-batch` that cuts the samples into small chunks, so that trees have several levels.
    static func pipeline(_ extra: String = "", in dir: URL) throws -> String {
        try TestSupport.write(
            "extends: kimi-batch\nchunking: {chunk_tokens: 1500}\n" + extra, to: "batch.yaml", in: dir
        ).path
    }

    @Test func cronRunsFinishEverySampleAndPayEachCallOnceInOneBatchLineAtTheDiscount() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let series = try await Self.cron("kimi-batch", server: server, out: out)
        #expect(series.last?.status == 0, "\(series.last?.stderr ?? "")")
        #expect(
            series.statuses.dropLast().allSatisfy { $0 == 5 },
            "each run before the last says: come back later (\(series.statuses))")
        #expect(series.runs >= 2, "the first run submits, a later one collects and writes")
        let files = try readFiles(out)
        #expect(files.count == 4)
        #expect(files.values.allSatisfy { $0.status == .ok || $0.status == .skipped })
        // Each sample fits one of kimi-batch's 24k-token chunks; the tests below cut smaller chunks for deeper trees.
        #expect(files.values.allSatisfy { $0.levels >= 1 }, "\(files.mapValues(\.levels))")

        let stats = server.stats
        #expect(stats.completed == stats.batchLines, "no call went online")
        #expect(stats.repeatedCompletions == 0, "no call was paid twice")
        let store = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false)
        #expect(try await store.callCount() == stats.batchLines, "every batch line answered is one stored call")
        #expect(series.callsMade == stats.batchLines && series.batchCalls == stats.batchLines)
        // kimi-k2.6 at 60% of $0.95 in ($0.16 on a cache hit) and $4.00 out.
        let full =
            (Double(stats.batchPromptTokens - stats.batchCachedTokens) * 0.95 + Double(stats.batchCachedTokens) * 0.16
                + Double(stats.batchCompletionTokens) * 4.00) / 1_000_000
        #expect(abs(series.cost - full * 0.6) < 1e-5, "\(series.cost) vs \(full * 0.6)")
        #expect(server.fileIDs.isEmpty, "every upload, output and error file was deleted: \(server.fileIDs)")
        #expect(stats.uploads == stats.batchesCreated)

        // A rerun has nothing to do, and the online pipeline reuses every batch answer.
        let pages = try Self.summaries(out)
        let again = try await Self.cron("kimi-batch", server: server, out: out)
        #expect(again.runs == 1 && again.last?.status == 0 && again.callsMade == 0)
        let completed = server.stats.completed
        let rerun = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", "kimi", "--out", out.path],
            environment: Self.environment.merging(["MOONSHOT_BASE_URL": server.baseURL]) { $1 })
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(
            try readTotals(out).callsMade == 0 && server.stats.completed == completed,
            "the online pipeline reused every batch answer")
        #expect(try Self.summaries(out) == pages, "and wrote the same summaries")
    }

    @Test func waitPollsUntilTheFolderIsDoneInOneRun() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try Self.pipeline("batch: {poll_seconds: 0.3, poll_max_seconds: 1}\n", in: dir)
        let result = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "--wait"],
            environment: Self.environment.merging(["MOONSHOT_BASE_URL": server.baseURL]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let report = try readReport(out)
        #expect(report.totals.ok == 4)
        #expect((report.batch?.polls ?? 0) >= 2, "it polled until the last level came back")
        #expect(
            report.files.contains { $0.levels >= 2 } && report.files.allSatisfy { $0.status == .ok },
            "every file's tree, in the one report")
        #expect(server.stats.repeatedCompletions == 0)
        #expect(server.fileIDs.isEmpty)
    }

    @Test func failedLinesAndAnExpiredBatchAreSentAgainUntilEveryDocumentIsDone() async throws {
        let server = try await Self.server(
            FakeServerConfiguration(batchPhase: .milliseconds(250), batchFailureRate: 0.2, expiringBatches: [2]))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let series = try await Self.cron(try Self.pipeline("batch: {retries: 8}\n", in: dir), server: server, out: out)
        #expect(series.last?.status == 0, "\(series.last?.stderr ?? "")")
        #expect(try Self.done(out) == 4)
        let store = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false)
        let lines = try await store.batchLines()
        #expect(
            try readFiles(out).values.contains { $0.levels >= 2 }, "trees of two levels or more went through batches")
        #expect(lines.contains { $0.state == .failed }, "some lines failed")
        #expect(lines.contains { $0.state == .unfinished }, "the expired batch left lines unfinished")
        let answered = lines.filter { $0.state == .answered }
        #expect(Set(answered.map(\.key)).count == answered.count, "no call was answered in two batches")
        #expect(server.stats.repeatedCompletions == 0)
        #expect(server.fileIDs.isEmpty)
    }

    @Test func linesThatKeepFailingRunOnlineUnderTheOnlineFallback() async throws {
        let server = try await Self.server(FakeServerConfiguration(batchPhase: .milliseconds(200), batchFailureRate: 1))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let series = try await Self.cron(
            try Self.pipeline("batch: {retries: 0, fallback: online}\n", in: dir), server: server, out: out)
        #expect(series.last?.status == 0, "\(series.last?.stderr ?? "")")
        #expect(try Self.done(out) == 4)
        #expect(
            server.stats.batchLines == 0 && series.batchCalls == 0, "no batch line succeeded; every call ran online")
        #expect(series.callsMade == server.stats.completed)

        let strict = dir.appendingPathComponent("strict")
        let failing = try await Self.cron(
            try Self.pipeline("batch: {retries: 0}\n", in: dir), server: server, out: strict)
        #expect(failing.last?.status == 1, "without the fallback the documents fail, naming why")
        #expect(try readFiles(strict).values.contains { $0.error?.contains("fallback: online") == true })
    }

    @Test(arguments: [
        "submit.after-intent", "submit.after-upload", "submit.after-upload-recorded", "submit.after-create",
        "submit.after-create-recorded", "collect.after-poll", "collect.after-download", "collect.after-record",
        "collect.after-delete", "step.after-collect"
    ])
    func aRunKilledAtAnyStepLosesNothingAndSubmitsNothingTwice(failpoint: String) async throws {
        let server = try await Self.server(FakeServerConfiguration(batchPhase: .milliseconds(150)))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let pipeline = try Self.pipeline(in: dir)
        let out = dir.appendingPathComponent("out")
        // Armed until a run dies there; then cron goes on as usual.
        var killed = 0
        for _ in 0..<12 where killed == 0 {
            let armed = try await Self.cron(pipeline, server: server, out: out, failpoint: failpoint, limit: 1)
            if armed.last?.status == 9 || armed.last?.status == 137 { killed += 1 }
            if armed.last?.status == 0 { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(killed == 1, "the run reached \(failpoint) and was killed there")
        let series = try await Self.cron(pipeline, server: server, out: out)
        #expect(series.last?.status == 0, "\(series.last?.stderr ?? "")")
        #expect(try Self.done(out) == 4)
        #expect(server.stats.repeatedCompletions == 0, "no call was answered twice")
        let store = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false)
        #expect(try await store.callCount() == server.stats.batchLines, "every answer was kept")
        #expect(server.fileIDs.isEmpty, "no upload was orphaned: \(server.fileIDs)")

        // The same summaries as a run that was never killed.
        let clean = try await Self.server(FakeServerConfiguration(batchPhase: .milliseconds(150)))
        defer { Task { await clean.stop() } }
        let reference = dir.appendingPathComponent("reference")
        _ = try await Self.cron(pipeline, server: clean, out: reference)
        #expect(try Self.summaries(out) == Self.summaries(reference))
    }

    @Test func theEstimatePricesBatchCallsAtTheDiscountBesideTheOnlinePrice() async throws {
        func plan(_ arguments: [String]) async throws -> RunEstimate {
            let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
            let result = try await PrecisProcess.run(
                ["estimate", TestSupport.samples.path, "--out", out.path, "--json"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONOutput.decode(RunEstimate.self, from: Data(result.stdout.utf8))
        }
        let online = try await plan(["--pipeline", "kimi"])
        let batch = try await plan(["--pipeline", "kimi-batch"])
        let flag = try await plan(["--pipeline", "kimi", "--batch"])
        #expect(online.cost > 0 && !online.batch)
        #expect(batch.batch && flag.batch)
        #expect(abs(batch.cost - online.cost * 0.6) < 1e-5 && abs(batch.costMax - online.costMax * 0.6) < 1e-5)
        #expect(batch.costOnline == online.cost && flag.cost == batch.cost)
        #expect(batch.calls == online.calls, "the same calls, at another price")
        let text = try await PrecisProcess.run([
            "estimate", TestSupport.samples.path, "--pipeline", "kimi-batch", "--out",
            try TestSupport.temporaryDirectory().path
        ])
        #expect(text.stdout.contains("at the batch price"), "\(text.stdout)")
        let offline = try await PrecisProcess.run(["estimate", TestSupport.samples.path, "--batch"])
        #expect(offline.status == 2 && offline.stderr.contains("--batch needs a model pipeline"), "\(offline.stderr)")
    }

    @Test func statusShowsTheBatchesInFlightAndCancelStopsThemWithoutLosingWhatTheyFinished() async throws {
        let server = try await Self.server(
            FakeServerConfiguration(batchPhase: .seconds(1), batchCancelTime: .milliseconds(100)))
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try Self.pipeline(in: dir)
        let first = try await Self.cron(pipeline, server: server, out: out, limit: 1)
        #expect(first.last?.status == 5, "\(first.last?.stderr ?? "")")
        #expect(first.last?.stderr.contains("exit 5: run again later") == true, "\(first.last?.stderr ?? "")")

        let status = try await PrecisProcess.run(["status", out.path])
        #expect(status.status == 0)
        #expect(status.stdout.contains("batch(es) in flight"), "\(status.stdout)")
        #expect(status.stdout.contains("  batch     batch-"), "\(status.stdout)")
        #expect(status.stdout.contains("of its window left"), "\(status.stdout)")
        #expect(status.stdout.contains("next run  poll"), "\(status.stdout)")
        let json = try JSONOutput.decode(
            OutputStatus.self, from: Data(try await PrecisProcess.run(["status", out.path, "--json"]).stdout.utf8))
        #expect(!json.batches.isEmpty && json.batches.allSatisfy { $0.id != nil && $0.lines > 0 })

        // Past the first phase, so that the cancelled batch has finished half its lines.
        try await Task.sleep(for: .milliseconds(1300))
        let cancel = try await PrecisProcess.run(
            ["cancel", out.path, "--base-url", server.baseURL], environment: Self.environment)
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("asked to cancel \(json.batches.count) batch(es)"), "\(cancel.stdout)")
        try await Task.sleep(for: .milliseconds(300))
        let series = try await Self.cron(pipeline, server: server, out: out)
        #expect(series.last?.status == 0, "\(series.last?.stderr ?? "")")
        #expect(try Self.done(out) == 4)
        let store = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"), create: false)
        let lines = try await store.batchLines()
        #expect(lines.contains { $0.state == .unfinished }, "the cancelled batch left lines for the next one")
        #expect(try await store.batchJobs().contains { $0.remoteStatus == "cancelled" })
        #expect(server.stats.repeatedCompletions == 0, "what it finished was kept, not asked again")
        #expect(server.fileIDs.isEmpty)
    }

    @Test func aSpendingCapHoldsForWhatARunSubmitsAndTheRunStopsAtIt() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try Self.pipeline(in: dir)
        let capped = try await Self.cron(pipeline, server: server, out: out, extra: ["--max-cost", "0.004"], limit: 1)
        #expect(capped.last?.status == 4, "\(capped.last?.stderr ?? "")")
        let report = try readReport(out)
        #expect(report.stopped?.contains("cost budget of 0.004") == true, "\(report.stopped ?? "")")
        let submitted = report.batch?.lines ?? 0
        #expect(submitted >= 1, "what fit under the cap was submitted")
        let uncapped = try await Self.cron(pipeline, server: server, out: dir.appendingPathComponent("free"), limit: 1)
        let all = try readReport(dir.appendingPathComponent("free")).batch?.lines ?? 0
        #expect(uncapped.last?.status == 5 && submitted < all, "\(submitted) of \(all) map calls")
    }
}
