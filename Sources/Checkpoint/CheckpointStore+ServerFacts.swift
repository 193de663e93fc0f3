import GRDB

extension CheckpointStore {
    /// What the last run learned about `model` on `server`, if any run asked.
    public func serverFacts(server: String, model: String) async throws(CheckpointError) -> ServerFacts? {
        try await read { try ServerFacts.fetchOne($0, key: ["server": server, "model": model]) }
    }

    /// Records what a run learned. A token ratio already kept is never replaced: chunks, and so
    /// the calls' keys, are cut with it, and a new one would re-cut every document.
    public func save(_ facts: ServerFacts) async throws(CheckpointError) {
        try await write { db in
            var facts = facts
            if let kept = try ServerFacts.fetchOne(db, key: ["server": facts.server, "model": facts.model]),
                kept.tokenRatio != nil
            {
                (facts.tokenRatio, facts.cjkPerCharacter, facts.ratioSource, facts.measuredAt) =
                    (kept.tokenRatio, kept.cjkPerCharacter, kept.ratioSource, kept.measuredAt)
            }
            try facts.save(db)
        }
    }
}
