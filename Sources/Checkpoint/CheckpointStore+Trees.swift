import Foundation
import GRDB

extension CheckpointStore {
    /// The link path of the folder summary's calls; no file name can hold a NUL.
    public static let corpusPath = "\u{0}corpus-summary"

    /// Totals over the stored calls with these keys: what one summary tree cost in all.
    public func callTotals(keys: Set<String>) async throws(CheckpointError) -> CallTotals {
        try await read { db in
            var totals = CallTotals()
            for call in try StoredCall.filter(keys.sorted().contains(Column("key"))).fetchAll(db) {
                totals.calls += 1
                totals.promptTokens += call.promptTokens
                totals.completionTokens += call.completionTokens
                totals.reasoningTokens += call.reasoningTokens
                totals.cachedTokens += call.cachedTokens
                totals.cost += call.cost
                if call.batch { totals.batchCalls += 1 }
                totals.outputBytes += call.output.utf8.count
                totals.usageEstimated = totals.usageEstimated || call.usageEstimated
            }
            return totals
        }
    }

    /// The summary at the top of the tree linked to `path`: its one `final` call's answer.
    public func summary(of path: String) async throws(CheckpointError) -> String? {
        try await read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT call.output FROM call JOIN file_call ON file_call.key = call.key
                    WHERE file_call.path = ? AND call.stage = 'final' ORDER BY call.createdAt DESC LIMIT 1
                    """, arguments: [path])
        }
    }

    /// The mean answer length (reasoning left out) per stage of the calls `summarizer` made with
    /// the server's own counts, for stages with at least `minimum` such calls: what an estimate expects.
    public func answerLengths(summarizer: String, minimum: Int = 3) async throws(CheckpointError) -> [String: Int] {
        try await meanPerStage("completionTokens - reasoningTokens", summarizer: summarizer, minimum: minimum)
    }

    /// The mean reasoning tokens per stage of `summarizer`'s calls, as ``answerLengths(summarizer:minimum:)``.
    public func reasoningLengths(summarizer: String, minimum: Int = 3) async throws(CheckpointError) -> [String: Int] {
        try await meanPerStage("reasoningTokens", summarizer: summarizer, minimum: minimum)
    }

    private func meanPerStage(_ expression: String, summarizer: String, minimum: Int) async throws(CheckpointError)
        -> [String: Int]
    {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT stage, AVG(\(expression)), COUNT(*) FROM call WHERE summarizer = ? AND usageEstimated = 0 GROUP BY stage
                    """, arguments: [summarizer])
            var lengths: [String: Int] = [:]
            for row in rows where (row[2] as Int) >= minimum {
                lengths[row[0]] = Int((row[1] as Double).rounded())
            }
            return lengths
        }
    }

    /// Links exactly `keys` to `path`, replacing its links, for trees that are not one file's.
    public func link(_ keys: Set<String>, to path: String) async throws(CheckpointError) {
        try await write { db in
            try FileCall.filter(Column("path") == path).deleteAll(db)
            for key in keys.sorted() { try FileCall(path: path, key: key).insert(db, onConflict: .ignore) }
        }
    }
}
