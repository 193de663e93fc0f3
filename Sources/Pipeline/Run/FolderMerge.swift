import Checkpoint
import Fleet
import Foundation
import Logging
import Scheduling

/// `precis merge`: writes the folder's `index.md` and `report.json` over every worker's files.
///
/// From a shared store, the job's latest round; without one, the shards' own reports, with their
/// stores joined into the folder's, so `status`, `gc` and later runs see one folder. With
/// `--corpus-summary`, the folder summary is made here, once.
public struct FolderMerge: Sendable {
    public let settings: RunSettings
    public var logger: Logger

    public init(options: RunOptions, config: PipelineConfig, logger: Logger = Logger(label: "precis")) {
        self.settings = RunSettings(options: options, config: config)
        self.logger = logger
    }

    var options: RunOptions { settings.options }
    var config: PipelineConfig { settings.config }

    /// What the workers did, in one folder: read, joined, and written as the folder's pages.
    private struct Parts {
        let store: any RunStore
        var files: [RunReport.File]
        var startedAt: Date
        var seconds: Double
    }

    /// Merges, and returns the folder's report.
    public func run() async throws(PipelineError) -> RunReport {
        let parts: Parts
        if let fleet = options.fleet { parts = try await fromFleet(fleet) } else { parts = try await fromShards() }
        var report = RunReport(
            pipeline: config.name, model: config.modelName, currency: config.currency,
            startedAt: parts.startedAt, seconds: parts.seconds, files: parts.files)
        let folder = FolderRun(options: try await givenOptions(parts.store), config: config, logger: logger)
        if options.corpusSummary {
            let engine = try await Engine.make(settings)
            let context = FileJob.Context(
                store: parts.store, pool: WorkPool(concurrency: engine.concurrency),
                path: DocumentPath(settings: settings, engine: engine, remote: nil), gate: RunGate(),
                logger: logger, previous: [:], inFlight: InFlightCalls())
            report.add(corpus: await folder.summarizeCorpus(parts.files, context: context))
            await engine.shutdown()
        }
        try await folder.writeFolderPages(report, kept: [])
        return report
    }

    /// The options the workers ran with: the folder summary is titled after the inputs they were given.
    private func givenOptions(_ store: any RunStore) async throws(PipelineError) -> RunOptions {
        guard options.corpusSummary else { return options }
        var given = options
        do {
            if let inputs = try await store.runs(limit: 1).first?.inputList, !inputs.isEmpty { given.inputs = inputs }
        } catch {
            throw PipelineError(.output, "cannot read the runs in \(store.location)", cause: error)
        }
        return given
    }

    /// The job's latest round in the shared store.
    private func fromFleet(_ options: FleetOptions) async throws(PipelineError) -> Parts {
        let fleet = try await FleetWorker.connect(options, settings: settings)
        let round: Int64?
        do { round = try await fleet.queue.latestRound() } catch {
            throw PipelineError(.output, "cannot read the shared store", cause: error)
        }
        guard let round else {
            throw PipelineError(
                .usage, "no worker has run the job \(fleet.queue.scope) in \(fleet.store.database.address) yet")
        }
        let files = try await FleetClaims.reports(of: round, queue: fleet.queue)
        do {
            let startedAt = try await fleet.queue.opened(round: round) ?? Date()
            let status = try await FleetStatus.read(fleet.queue)
            if status.queued + status.claimed > 0 {
                logger.warning(
                    "the job's round \(round) is still open: \(status.claimed) file(s) claimed and \(status.queued) queued are not in the merge"
                )
            }
            return Parts(
                store: fleet.store, files: files, startedAt: startedAt, seconds: Date().timeIntervalSince(startedAt))
        } catch {
            throw PipelineError(.output, "cannot read the shared store", cause: error)
        }
    }

    /// The shards' own reports, with their stores joined into the folder's.
    private func fromShards() async throws(PipelineError) -> Parts {
        let out = options.outputDirectory
        let shards = OutputLayout.shardReports(in: out)
        guard !shards.isEmpty else {
            throw PipelineError(
                .usage,
                "\(out.path) holds no shard reports (\(OutputLayout.shardReport(1, of: 2).replacingOccurrences(of: "1-of-2", with: "I-of-N"))): run the shards with --shard first, or give --store"
            )
        }
        do {
            let folder = try await CheckpointStore(url: out.appendingPathComponent(OutputLayout.store))
            var parts = Parts(store: folder, files: [], startedAt: Date(), seconds: 0)
            for shard in shards {
                let report = try JSONOutput.decode(RunReport.self, from: try Data(contentsOf: shard.report))
                parts.files += report.files
                parts.startedAt = min(parts.startedAt, report.startedAt)
                parts.seconds = max(parts.seconds, report.seconds)
                if FileManager.default.fileExists(atPath: shard.store.path) { try await folder.absorb(shard.store) }
            }
            // Gists are not in the reports' JSON; the joined store has them.
            let gists = Dictionary(try await folder.fileStates().map { ($0.path, $0.gist) }, uniquingKeysWith: { $1 })
            for i in parts.files.indices where parts.files[i].gist == nil {
                parts.files[i].gist = gists[parts.files[i].path] ?? nil
            }
            parts.files.sort { $0.path < $1.path }
            return parts
        } catch {
            throw PipelineError(.output, "cannot join the shards' stores in \(out.path)", cause: error)
        }
    }
}
