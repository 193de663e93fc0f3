import Fleet
import Foundation

/// A fleet's workers, round and claims, for `precis status --store`.
public typealias FleetStatus = Fleet.FleetStatus

extension OutputStatus {
    /// What the job of `out` looks like in the shared store: its workers, their files and leases.
    public static func readFleet(_ out: URL, options: FleetOptions) async throws(PipelineError) -> FleetStatus {
        let settings = RunSettings(options: RunOptions(inputs: [], outputDirectory: out), config: PipelineConfig())
        let (_, queue) = try await FleetWorker.connect(options, settings: settings)
        do { return try await FleetStatus.read(queue) } catch {
            throw PipelineError(.output, "cannot read the shared store", cause: error)
        }
    }
}
