import Checkpoint
import Foundation
import PostgresNIO

extension PostgresStore {
    public func begin(_ run: RunRecord) async throws(CheckpointError) -> RunRecord {
        var run = run
        run.id = try await checked(.write) { () async throws(FleetError) in
            try PostgresStore.first(
                try await database.query(
                    """
                    INSERT INTO precis.run (scope, started_at, pipeline, pid, inputs, currency, walk)
                    VALUES (\(scope), \(run.startedAt), \(run.pipeline), \(run.pid), \(run.inputs), \(run.currency), \(run.walk)) RETURNING id
                    """), Int64.self)
        }
        return run
    }

    public func finish(_ run: RunRecord) async throws(CheckpointError) {
        guard let id = run.id else { return }
        try await checked(.write) { () async throws(FleetError) in
            try await database.query(
                """
                UPDATE precis.run SET ended_at = \(run.endedAt), exit_code = \(run.exitCode), outcome = \(run.outcome),
                  files_ok = \(run.filesOK), files_failed = \(run.filesFailed), files_skipped = \(run.filesSkipped),
                  files_pending = \(run.filesPending), calls_made = \(run.callsMade), calls_reused = \(run.callsReused),
                  prompt_tokens = \(run.promptTokens), completion_tokens = \(run.completionTokens), cost = \(run.cost)
                WHERE id = \(id)
                """)
        }
    }

    public func runs(limit: Int) async throws(CheckpointError) -> [RunRecord] {
        try await checked(.read) { () async throws(FleetError) in
            try await database.query(
                """
                SELECT id, started_at, ended_at, exit_code, outcome, pipeline, pid, inputs, files_ok, files_failed, files_skipped,
                  files_pending, calls_made, calls_reused, prompt_tokens, completion_tokens, cost, currency, walk
                FROM precis.run WHERE scope = \(scope) ORDER BY id DESC LIMIT \(limit)
                """
            ).map { row throws(FleetError) in
                let c = row.makeRandomAccess()
                var run = RunRecord(startedAt: try Self.cell(c, "started_at"), pipeline: try Self.cell(c, "pipeline"))
                run.id = try Self.cell(c, "id")
                run.endedAt = try Self.cell(c, "ended_at")
                run.exitCode = try Self.cell(c, "exit_code")
                run.outcome = try Self.cell(c, "outcome")
                run.pid = try Self.cell(c, "pid")
                run.inputs = try Self.cell(c, "inputs")
                (run.filesOK, run.filesFailed, run.filesSkipped, run.filesPending) =
                    (
                        try Self.cell(c, "files_ok"), try Self.cell(c, "files_failed"),
                        try Self.cell(c, "files_skipped"), try Self.cell(c, "files_pending")
                    )
                (run.callsMade, run.callsReused, run.promptTokens, run.completionTokens) =
                    (
                        try Self.cell(c, "calls_made"), try Self.cell(c, "calls_reused"),
                        try Self.cell(c, "prompt_tokens"), try Self.cell(c, "completion_tokens")
                    )
                (run.cost, run.currency, run.walk) = (
                    try Self.cell(c, "cost"), try Self.cell(c, "currency"), try Self.cell(c, "walk")
                )
                return run
            }
        }
    }

    public func serverFacts(server: String, model: String) async throws(CheckpointError) -> ServerFacts? {
        try await checked(.read) { () async throws(FleetError) in
            try await database.query(
                """
                SELECT context_window, token_ratio, cjk_per_character, ratio_source, measured_at FROM precis.server_model
                WHERE server = \(server) AND model = \(model)
                """
            ).first.map { row throws(FleetError) in
                let (window, ratio, cjk, source, at) = try Self.decode(
                    row, (Int?, Double?, Double?, String?, Date).self)
                return ServerFacts(
                    server: server, model: model, contextWindow: window, tokenRatio: ratio, cjkPerCharacter: cjk,
                    ratioSource: source, measuredAt: at)
            }
        }
    }

    /// Records what a run learned; a token ratio already kept stays, whichever worker measured first.
    public func save(_ facts: ServerFacts) async throws(CheckpointError) {
        try await checked(.write) { () async throws(FleetError) in
            try await database.query(
                """
                INSERT INTO precis.server_model (server, model, context_window, token_ratio, cjk_per_character, ratio_source, measured_at)
                VALUES (\(facts.server), \(facts.model), \(facts.contextWindow), \(facts.tokenRatio), \(facts.cjkPerCharacter), \(facts.ratioSource), \(facts.measuredAt))
                ON CONFLICT (server, model) DO UPDATE SET context_window = excluded.context_window,
                  token_ratio = CASE WHEN server_model.token_ratio IS NULL THEN excluded.token_ratio ELSE server_model.token_ratio END,
                  cjk_per_character = CASE WHEN server_model.token_ratio IS NULL THEN excluded.cjk_per_character ELSE server_model.cjk_per_character END,
                  ratio_source = CASE WHEN server_model.token_ratio IS NULL THEN excluded.ratio_source ELSE server_model.ratio_source END,
                  measured_at = CASE WHEN server_model.token_ratio IS NULL THEN excluded.measured_at ELSE server_model.measured_at END
                """)
        }
    }

    public func answerLengths(summarizer: String, minimum: Int) async throws(CheckpointError) -> [String: Int] {
        try await meanPerStage("completion_tokens - reasoning_tokens", summarizer: summarizer, minimum: minimum)
    }

    public func reasoningLengths(summarizer: String, minimum: Int) async throws(CheckpointError) -> [String: Int] {
        try await meanPerStage("reasoning_tokens", summarizer: summarizer, minimum: minimum)
    }

    private func meanPerStage(_ expression: String, summarizer: String, minimum: Int) async throws(CheckpointError)
        -> [String: Int]
    {
        try await checked(.read) { () async throws(FleetError) in
            var lengths: [String: Int] = [:]
            for row in try await database.query(
                """
                SELECT stage, avg(\(unescaped: expression))::float8 FROM precis.call
                WHERE summarizer = \(summarizer) AND NOT usage_estimated GROUP BY stage HAVING count(*) >= \(minimum)
                """)
            {
                let (stage, mean) = try Self.decode(row, (String, Double).self)
                lengths[stage] = Int(mean.rounded())
            }
            return lengths
        }
    }

    public func extractedText(contentHash: String) async throws(CheckpointError) -> ExtractedText? {
        try await checked(.read) { () async throws(FleetError) in
            try await database.query(
                "SELECT text, via, created_at FROM precis.extracted_text WHERE content_hash = \(contentHash)"
            ).first.map { row throws(FleetError) in
                let (text, via, at) = try Self.decode(row, (String, String, Date).self)
                return ExtractedText(contentHash: contentHash, text: text, via: via, createdAt: at)
            }
        }
    }

    public func save(_ text: ExtractedText) async throws(CheckpointError) {
        try await checked(.write) { () async throws(FleetError) in
            try await database.query(
                """
                INSERT INTO precis.extracted_text (content_hash, text, via, created_at)
                VALUES (\(text.contentHash), \(text.text), \(text.via), \(text.createdAt)) ON CONFLICT DO NOTHING
                """)
        }
    }
}
