import Checkpoint
import Fleet
import Foundation
import Ingest
import Logging

/// This process as one worker of a fleet: the shared store, the job's queue and the account's limits.
struct FleetWorker: Sendable {
    let id: String
    let store: PostgresStore
    let queue: WorkQueue
    /// The account's limits in the database, for model pipelines.
    let account: SharedAccount?
    /// The calls any worker is making now.
    let calls: SharedCalls

    /// Connects, migrates and registers; fails before any file is touched.
    static func start(_ options: FleetOptions, settings: RunSettings) async throws(PipelineError) -> FleetWorker {
        let config = settings.config
        if config.mode == .batch {
            throw PipelineError(
                .usage,
                "batch mode keeps its jobs in the output folder's SQLite store and does not run with --store; run it on one machine, or use mode: online"
            )
        }
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(getpid())
        let id = "\(host)-\(pid)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let (store, queue) = try await connect(options, settings: settings, worker: id)
        let address = store.database.address
        do {
            try await queue.register(host: host, pid: pid)
        } catch {
            throw failure(error)
        }
        var account: SharedAccount?
        if config.backend == .openAICompatible {
            // The account is the server and key together; only a digest of the key goes in the database.
            let name = ContentHash.sha256(Data((settings.baseURL + "\n" + (settings.apiKey ?? "")).utf8)).prefix(24)
            account = SharedAccount(database: Database(address), name: String(name), worker: id)
        }
        return FleetWorker(
            id: id, store: store, queue: queue, account: account,
            calls: SharedCalls(database: Database(address), worker: id))
    }

    /// The job's store and queue; without a `worker`, for `merge` and `status`, which take no part in the work.
    static func connect(_ options: FleetOptions, settings: RunSettings, worker: String = "") async throws(PipelineError)
        -> (store: PostgresStore, queue: WorkQueue)
    {
        let scope = options.scope(for: settings.options.outputDirectory)
        do {
            let address = try StoreAddress(options.store, fromCommandLine: options.fromCommandLine)
            let store = try await PostgresStore(address, scope: scope)
            return (store, WorkQueue(database: Database(address), scope: scope, worker: worker, lease: options.lease))
        } catch {
            throw failure(error)
        }
    }

    /// A store address that cannot be used is the user's to fix (2); a database that fails, the output's (3).
    private static func failure(_ error: FleetError) -> PipelineError {
        error.code == .address
            ? PipelineError(.usage, error.message) : PipelineError(.output, "cannot use the shared store", cause: error)
    }

    /// Renews the worker's leases until cancelled.
    func heartbeat(logger: Logger) -> Task<Void, Never> {
        let queue = self.queue
        return Task {
            var failures = 0
            while !Task.isCancelled {
                do { try await Task.sleep(for: queue.lease / 3) } catch { return }
                do {
                    try await queue.heartbeat()
                    failures = 0
                } catch {
                    failures += 1
                    logger.warning("cannot renew this worker's leases (\(failures) time(s)): \(error)")
                }
            }
        }
    }
}
