import GRDB

extension CheckpointStore {
    /// What the last run learned about `model` on `server`, if any run asked.
    public func serverFacts(server: String, model: String) throws(CheckpointError) -> ServerFacts? {
        try read { try ServerFacts.fetchOne($0, key: ["server": server, "model": model]) }
    }

    /// Records what a run learned, replacing what an earlier run did.
    public func save(_ facts: ServerFacts) throws(CheckpointError) {
        try write { try facts.save($0) }
    }
}
