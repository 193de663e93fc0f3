import Checkpoint
import Fleet
import Foundation
import Scheduling

extension BatchRun {
    /// `precis merge`: writes the folder's `index.md` and `report.json` over every worker's files.
    ///
    /// From a shared store, the job's latest round; without one, the shards' own reports, with their
    /// stores joined into the folder's, so `status`, `gc` and later runs see one folder. With
    /// `--corpus-summary`, the folder summary is made here, once.
    public func merge() async throws(PipelineError) -> RunReport {
        let out = options.outputDirectory
        let store: any RunStore
        var files: [RunReport.File]
        var startedAt = Date(), seconds = 0.0
        if let fleetOptions = options.fleet {
            let fleet = try FleetWorker.connect(fleetOptions, settings: settings)
            store = fleet.store
            do {
                guard let round = try await fleet.queue.latestRound() else {
                    throw PipelineError(.usage, "no worker has run the job \(fleet.queue.scope) in \(fleet.store.database.address) yet")
                }
                files = try await Self.reports(of: round, queue: fleet.queue)
                if let opened = try await fleet.queue.opened(round: round) { startedAt = opened }
                let status = try await FleetStatus.read(fleet.queue)
                if status.queued + status.claimed > 0 {
                    logger.warning("the job's round \(round) is still open: \(status.claimed) file(s) claimed and \(status.queued) queued are not in the merge")
                }
            } catch let error as PipelineError {
                throw error
            } catch {
                throw PipelineError(.output, "cannot read the shared store", cause: error)
            }
            seconds = Date().timeIntervalSince(startedAt)
        } else {
            let shards = Self.shardReports(in: out)
            guard !shards.isEmpty else {
                throw PipelineError(.usage, "\(out.path) holds no shard reports (.precis/shard-I-of-N.report.json): run the shards with --shard first, or give --store")
            }
            do {
                let folder = try CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite"))
                files = []
                for (report, storeURL) in shards {
                    files += report.files
                    startedAt = min(startedAt, report.startedAt)
                    seconds = max(seconds, report.seconds)
                    if FileManager.default.fileExists(atPath: storeURL.path) { try folder.absorb(storeURL) }
                }
                // Gists are not in the reports' JSON; the joined store has them.
                let gists = Dictionary(try folder.fileStates().map { ($0.path, $0.gist) }, uniquingKeysWith: { $1 })
                for i in files.indices where files[i].gist == nil { files[i].gist = gists[files[i].path] ?? nil }
                store = folder
            } catch {
                throw PipelineError(.output, "cannot join the shards' stores in \(out.path)", cause: error)
            }
            files.sort { $0.path < $1.path }
        }
        var report = RunReport(pipeline: config.name, model: config.modelName, currency: config.currency,
                               startedAt: startedAt, seconds: seconds, files: files)
        if options.corpusSummary {
            // The folder summary is titled after the inputs the workers were given.
            var given = options
            if let inputs = try? store.runs(limit: 1).first?.inputList, !inputs.isEmpty { given.inputs = inputs }
            let run = BatchRun(options: given, config: config, logger: logger)
            let engine = try await Engine.make(settings)
            let context = FileJob.Context(store: store, pool: WorkPool(concurrency: engine.concurrency),
                                          path: DocumentPath(settings: settings, engine: engine, remote: nil), gate: RunGate(),
                                          logger: logger, previous: [:], inFlight: InFlightCalls())
            report.add(corpus: await run.summarizeCorpus(files, context: context))
            await engine.shutdown()
        }
        try await writeFolderPages(report, kept: [])
        return report
    }

    /// The shards' reports in `out`, with each shard's store.
    static func shardReports(in out: URL) -> [(RunReport, URL)] {
        let folder = out.appendingPathComponent(".precis")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasPrefix("shard-"), name.hasSuffix(".report.json"),
                  let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                  let report = try? JSONOutput.decode(RunReport.self, from: data) else { return nil }
            return (report, folder.appendingPathComponent(String(name.dropLast(".report.json".count)) + ".sqlite"))
        }
    }
}
