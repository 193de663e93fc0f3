import Foundation

/// What a run keeps between runs: finished calls by content hash, file states, runs and server facts.
///
/// The seam between the pipeline and where it keeps things. ``CheckpointStore`` keeps them in the
/// output folder's SQLite file, for one machine; the `Fleet` module's PostgreSQL store keeps them in
/// one database that many workers share. Both keep the same invariants: a call is committed before
/// anything uses it, and a call stored under a key is never replaced.
public protocol RunStore: Sendable {
    /// Where the store lives, for messages; never holds a password.
    var location: String { get }

    /// The stored call with `key`, if a run has finished it.
    func call(key: String) async throws(CheckpointError) -> StoredCall?
    /// Commits a finished call, linked to the file it serves; a call already stored under the key is kept as it is.
    func save(_ call: StoredCall, for path: String?) async throws(CheckpointError)
    /// Totals over the stored calls with these keys: what one summary tree cost in all.
    func callTotals(keys: Set<String>) async throws(CheckpointError) -> CallTotals
    /// The summary at the top of the tree linked to `path`.
    func summary(of path: String) async throws(CheckpointError) -> String?
    /// Links exactly `keys` to `path`, replacing its links, for trees that are not one file's.
    func link(_ keys: Set<String>, to path: String) async throws(CheckpointError)

    /// Every file's state, by path.
    func fileStates() async throws(CheckpointError) -> [FileState]
    /// Records what a run did with a file.
    func save(_ state: FileState) async throws(CheckpointError)
    /// Records a finished file and exactly the calls its tree uses, replacing the links it had.
    func save(_ state: FileState, calls keys: Set<String>) async throws(CheckpointError)
    /// Forgets the files whose inputs are gone, and their links.
    func removeFiles(_ paths: [String]) async throws(CheckpointError)

    /// Records the start of a run and returns it with its id.
    func begin(_ run: RunRecord) async throws(CheckpointError) -> RunRecord
    /// Records how a run ended.
    func finish(_ run: RunRecord) async throws(CheckpointError)
    /// The most recent runs, newest first.
    func runs(limit: Int) async throws(CheckpointError) -> [RunRecord]

    /// What the last run learned about `model` on `server`, if any run asked.
    func serverFacts(server: String, model: String) async throws(CheckpointError) -> ServerFacts?
    /// Records what a run learned; a token ratio already kept is never replaced.
    func save(_ facts: ServerFacts) async throws(CheckpointError)
    /// The mean answer length per stage of `summarizer`'s calls with the server's own counts.
    func answerLengths(summarizer: String, minimum: Int) async throws(CheckpointError) -> [String: Int]
    /// The mean reasoning tokens per stage of `summarizer`'s calls.
    func reasoningLengths(summarizer: String, minimum: Int) async throws(CheckpointError) -> [String: Int]

    /// Text a remote reader extracted from a file, by the file's content hash.
    func extractedText(contentHash: String) async throws(CheckpointError) -> ExtractedText?
    /// Keeps extracted text, so no file is uploaded twice.
    func save(_ text: ExtractedText) async throws(CheckpointError)
}

extension CheckpointStore: RunStore {
    public var location: String { url.path }
}

/// Calls being made right now by any worker sharing the store, so the same call is made once across machines.
///
/// Within one process, the pipeline's own in-flight table does this; a fleet's workers are many
/// processes, and two of them can reach one key at once (copies of a file claimed side by side).
public protocol CallClaims: Sendable {
    /// Takes the right to make the call with `key`; false while a live worker holds it.
    func claim(_ key: String) async throws -> Bool
    /// Gives the right back once the call is stored, or has failed.
    func release(_ key: String) async
}
