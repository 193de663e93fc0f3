import Checkpoint
import Foundation
import Ingest

/// Where a run's files come from: the run's own list (a whole folder or a shard's part of it), or
/// the claims it takes from a fleet's shared queue.
///
/// The orchestrator asks the source for the store and for the files' reports; it never asks which
/// kind of source it holds.
protocol WorkSource: Sendable {
    /// The store this run keeps its calls and files in, opened once the folder is held.
    func open() async throws(PipelineError) -> OpenedStore
    /// Summarizes the files this run gets to, each through a ``FileJob``.
    func summarize(_ files: [InputFile], context: FileJob.Context) async -> WorkDone
    /// Tells whoever shares the work that this run is over; `report` is nil when the run failed.
    func leave(_ report: RunReport?) async
    /// Calls other workers sharing the store are making now; nil when no one shares it.
    var claims: (any CallClaims)? { get }
}

/// The store a run opened, and the folder's own SQLite store when that is what it is: batch mode
/// keeps its jobs there.
struct OpenedStore: Sendable {
    let store: any RunStore
    let folder: CheckpointStore?
}

/// What a source's work came to.
struct WorkDone: Sendable {
    /// The reports of the files this run finished, in input order where it had the whole list.
    var files: [RunReport.File]
    /// The fleet's round, for a worker of one.
    var round: FleetRound? = nil

    /// The files of the whole folder as far as this run knows them: the round's, for a fleet's last worker.
    var folderFiles: [RunReport.File] { round.map { $0.last ? $0.all : files } ?? files }
}
