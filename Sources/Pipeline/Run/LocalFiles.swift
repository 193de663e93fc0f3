import Checkpoint
import Foundation
import Ingest

/// The run's own list of files: the whole folder, or one shard's part of it.
struct LocalFiles: WorkSource {
    let options: RunOptions

    func open() async throws(PipelineError) -> OpenedStore {
        do {
            let store = try await CheckpointStore(url: options.storeURL)
            return OpenedStore(store: store, folder: store)
        } catch {
            throw PipelineError(
                .output, "cannot use the output directory \(options.outputDirectory.path)", cause: error)
        }
    }

    /// Summarizes files with a bounded number open at once, keeping the reports in input order.
    ///
    /// The largest files open first: their trees are the deepest, and starting the longest chains
    /// early keeps the tail of the run short (longest-processing-time-first).
    func summarize(_ files: [InputFile], context: FileJob.Context) async -> WorkDone {
        let open = max(4, context.engine.concurrency * 4)
        let order = files.indices.sorted {
            files[$0].size != files[$1].size ? files[$0].size > files[$1].size : $0 < $1
        }
        let reports = await withTaskGroup(of: (Int, RunReport.File).self) { group in
            var reports = [RunReport.File?](repeating: nil, count: files.count)
            var next = 0
            func start() {
                let index = order[next]
                let job = FileJob(file: files[index], ordinal: next, context: context)
                group.addTask { (index, await job.run()) }
                next += 1
            }
            while next < min(open, files.count) { start() }
            for await (index, report) in group {
                reports[index] = report
                if next < files.count { start() }
            }
            return reports.compactMap { $0 }
        }
        return WorkDone(files: reports)
    }

    func leave(_ report: RunReport?) async {}

    var claims: (any CallClaims)? { nil }
}
