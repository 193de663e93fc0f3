/// What one worker of a fleet did, in its report.
public struct WorkerStep: Sendable, Codable, Hashable {
    /// The worker's id in the shared store: host, pid and a random part.
    public var id: String
    /// The round of the job the worker took part in.
    public var round: Int64
    /// Files this worker claimed and finished.
    public var files: Int
    /// Whether this worker was the last, and wrote the folder's index and report.
    public var last: Bool
}
