import Checkpoint
import Foundation
import PrecisTesting
import Scheduling
import Testing

@testable import Fleet

/// The shared store, queue and limiter against the real PostgreSQL of `make test-integration`.
@Suite(.enabled(if: PostgresServer.available, "needs the PostgreSQL that make test-integration starts"))
struct PostgresStoreTests {
    func address() throws -> StoreAddress {
        try StoreAddress(try #require(PostgresServer.url))
    }

    @Test func keepsCallsFilesRunsAndFactsAsTheSQLiteStoreDoes() async throws {
        let store = try await PostgresStore(try address(), scope: PostgresServer.job())
        let key = "k-\(UUID().uuidString)"
        let call = StoredCall(
            key: key, stage: "final", summarizer: "s1", output: "The summary. 摘要。", promptTokens: 120,
            completionTokens: 30,
            reasoningTokens: 5, cachedTokens: 64, model: "kimi-k2.6", truncated: true, usageEstimated: false,
            cost: 0.25,
            createdAt: Date(timeIntervalSince1970: 1_800_000_000))
        try await store.save(call, for: "a.txt")
        var later = call
        later.output = "another answer"
        try await store.save(later, for: "a.txt")
        #expect(try await store.call(key: key) == call, "a key names one answer: the first stays")
        #expect(try await store.summary(of: "a.txt") == call.output)
        let totals = try await store.callTotals(keys: [key, "missing"])
        #expect(totals.calls == 1 && totals.promptTokens == 120 && totals.cachedTokens == 64 && totals.cost == 0.25)

        let state = FileState(
            path: "a.txt", contentHash: "h", size: 10, modified: Date(timeIntervalSince1970: 1_700_000_000),
            pipelineFingerprint: "fp", status: .ok, outputPath: "a.txt.md", title: "A", gist: "G", chunks: 2,
            levels: 2, calls: 3, promptTokens: 120, completionTokens: 30,
            updatedAt: Date(timeIntervalSince1970: 1_700_000_100))
        try await store.save(state, calls: [key])
        #expect(try await store.fileStates() == [state])
        try await store.removeFiles(["a.txt"])
        #expect(try await store.fileStates().isEmpty)
        #expect(try await store.summary(of: "a.txt") == nil, "its links went with it")

        var run = try await store.begin(
            RunRecord(startedAt: Date(timeIntervalSince1970: 1_700_000_000), pipeline: "kimi", pid: 42, inputs: ["/in"])
        )
        run.filesOK = 3
        run.outcome = "ok"
        run.endedAt = Date(timeIntervalSince1970: 1_700_000_050)
        try await store.finish(run)
        let runs = try await store.runs(limit: 5)
        #expect(runs.count == 1 && runs[0].id == run.id && runs[0].filesOK == 3 && runs[0].inputList == ["/in"])

        let facts = ServerFacts(
            server: "http://x-\(key)", model: "m", contextWindow: 8192, tokenRatio: 3.5,
            measuredAt: Date(timeIntervalSince1970: 1_700_000_000))
        try await store.save(facts)
        #expect(try await store.serverFacts(server: facts.server, model: "m") == facts)
        // The ratio every worker cuts with is the first one kept; a window may change.
        var remeasured = facts
        (remeasured.tokenRatio, remeasured.contextWindow, remeasured.measuredAt) = (
            2.0, 16384, Date(timeIntervalSince1970: 1_800_000_000)
        )
        try await store.save(remeasured)
        let kept = try await store.serverFacts(server: facts.server, model: "m")
        #expect(kept?.tokenRatio == 3.5 && kept?.measuredAt == facts.measuredAt && kept?.contextWindow == 16384)
    }

    @Test func workersStartingTogetherMigrateOnce() async throws {
        let address = try address()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await PostgresStore(address, scope: "x") } }
            try await group.waitForAll()
        }
        let versions = try await Database(address).query("SELECT version FROM precis.migration ORDER BY version").map {
            try $0.decode(Int.self)
        }
        #expect(versions == Schema.migrations.map(\.version))
    }

    @Test func aClaimWhoseLeaseRanOutGoesToAnotherWorker() async throws {
        let address = try address()
        _ = try await PostgresStore(address, scope: "x")
        let scope = PostgresServer.job()
        let a = WorkQueue(database: Database(address), scope: scope, worker: "a-\(scope)", lease: .seconds(60))
        let b = WorkQueue(database: Database(address), scope: scope, worker: "b-\(scope)", lease: .seconds(30))
        try await a.register(host: "h", pid: 1)
        try await b.register(host: "h", pid: 2)
        let round = try await a.join()
        #expect(try await b.join() == round, "workers of a job meet in one round")
        try await a.enqueue(round: round, files: [("small", 1), ("large", 100)])
        try await b.enqueue(round: round, files: [("small", 1), ("large", 100)])
        #expect(try await a.next(round: round) == .file(.init(path: "large", attempts: 1)), "the largest first")
        #expect(try await b.next(round: round) == .file(.init(path: "small", attempts: 1)))
        #expect(try await b.next(round: round) == .wait, "a holds the other under a live lease")
        try await b.done(round: round, path: "small", report: Data("{}".utf8), gist: nil)
        #expect(try await b.close(round: round) == false, "a file is still claimed")
        // a stops renewing: once its lease has run out (moved into the past here, rather than waited
        // for, so a loaded machine cannot end it early), b takes the file over.
        try await Database(address).run(
            "UPDATE precis.work SET lease_until = clock_timestamp() - interval '1 second' WHERE worker = \(a.worker)")
        #expect(try await b.next(round: round) == .file(.init(path: "large", attempts: 2)))
        try await b.done(round: round, path: "large", report: Data("{}".utf8), gist: "g")
        #expect(try await b.next(round: round) == .empty)
        #expect(try await b.close(round: round) == true)
        #expect(try await a.close(round: round) == false, "one worker closes a round")
        #expect(try await a.finished(round: round).map(\.path) == ["large", "small"])
        #expect(try await a.join() != round, "a closed round is not joined again")
    }

    @Test func theSharedLimiterAdmitsNoMoreThanTheAccountAllowsAcrossWorkers() async throws {
        let address = try address()
        _ = try await PostgresStore(address, scope: "x")
        let account = "acct-\(UUID().uuidString.prefix(8))"
        let database = Database(address)
        let limits = RateLimits(concurrency: 2, rpm: 3, window: .seconds(60))
        var tickets: [Int64] = []
        for worker in ["w1", "w2"] {
            let queue = WorkQueue(database: database, scope: "x", worker: "\(worker)-\(account)")
            try await queue.register(host: "h", pid: 1)
        }
        let first = SharedAccount(database: database, name: account, worker: "w1-\(account)")
        let second = SharedAccount(database: database, name: account, worker: "w2-\(account)")
        tickets.append(try await first.admit(tokens: 100, limits: limits))
        tickets.append(try await second.admit(tokens: 100, limits: limits))
        func verdict() async throws -> (Int64?, Double) {
            let row = try #require(
                try await database.query(
                    "SELECT ticket, wait FROM precis.admit(\(account), \("w1-\(account)"), 100, 2, 3, NULL, NULL, 60)"
                ).first)
            return try row.decode((Int64?, Double).self)
        }
        #expect(try await verdict().0 == nil, "two in flight is the account's concurrency")
        await first.finish(tickets[0], chargedTokens: nil)
        let third = try await verdict()
        #expect(third.0 != nil, "a slot freed")
        #expect(try await verdict().0 == nil)
        await second.finish(tickets[1], chargedTokens: nil)
        let over = try await verdict()
        #expect(
            over.0 == nil && over.1 > 50,
            "three requests in the minute: the fourth waits for the first to leave the window")
        await first.pause(for: .seconds(30))
        #expect(try await verdict().1 > 25, "a 429 anywhere pauses everyone")
    }
}
