import ArgumentParser
import Foundation
import Pipeline

/// How a run takes part in a fleet: a shared PostgreSQL store, or a shard of the inputs.
struct FleetFlags: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A shared PostgreSQL store (postgres://USER@HOST:PORT/DATABASE, or PRECIS_STORE): this run is one worker of many, claiming files from the job's queue and keeping to the account's limits with the others. The password comes from PGPASSWORD or ~/.pgpass, never the URL.",
            valueName: "url"))
    var store: String?

    @Option(
        help:
            "The job's name in the shared store (default: the output directory's path); workers of one job give the same."
    )
    var job: String?

    @Option(
        help:
            "Seconds a worker's claim on a file lasts without a heartbeat: how long a dead worker's files wait for another."
    )
    var lease: Double = 60

    @Option(
        help: ArgumentHelp(
            "Summarize only part I of N of the inputs (0-based), split by a stable hash of their paths, with a store of its own and 1/N of the account's limits; `precis merge` joins the parts.",
            valueName: "i/N"))
    var shard: String?

    @Option(
        help:
            "With this, the part comes from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (a Slurm array)."
    )
    var shards: Int?

    func validate() throws {
        if !(lease >= 3 && lease.isFinite) { throw ValidationError("--lease must be at least 3 seconds") }
        if store != nil && (shard != nil || shards != nil) {
            throw ValidationError(
                "--store shares one queue among the workers, so --shard and --shards do not apply; give one or the other"
            )
        }
        if shard != nil && shards != nil { throw ValidationError("give --shard i/N or --shards N, not both") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard takes i/N with 0 ≤ i < N, such as 0/4") }
        if let shards, shards < 1 { throw ValidationError("--shards must be 1 or more") }
    }

    /// The shared store, from the flag or PRECIS_STORE.
    func fleetOptions() -> FleetOptions? {
        FleetOptions.from(flag: store, job: job, lease: .milliseconds(Int64(lease * 1000)))
    }

    /// This run's part of the inputs, from `--shard` or `--shards` and the scheduler's index.
    func shardPart(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        if let shard { return Shard(shard) }
        guard let shards else { return nil }
        let given = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"].lazy.compactMap { environment[$0] }.first {
            !$0.isEmpty
        }
        guard let text = given, let index = Int(text) else {
            throw ValidationError(
                "--shards \(shards) needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID set to this part's index")
        }
        guard (0..<shards).contains(index) else {
            throw ValidationError(
                "the part's index \(index) is not below --shards \(shards); number the array from 0 (sbatch --array=0-\(shards - 1))"
            )
        }
        return Shard(index: index, count: shards)
    }
}
