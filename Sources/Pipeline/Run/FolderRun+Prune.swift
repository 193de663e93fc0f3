import Checkpoint
import Foundation

extension FolderRun {
    /// Removes the outputs and stored state of files whose inputs are gone; returns their paths.
    ///
    /// Only files really under the output directory are removed (not through a symlinked folder
    /// that leads elsewhere), and folders left empty go with them. Their stored calls stay until
    /// `precis gc`, so restoring an input costs nothing.
    func prune(_ gone: [FileState], store: any RunStore) async throws(PipelineError) -> [String] {
        guard !gone.isEmpty else { return [] }
        let out = options.outputDirectory.standardizedFileURL
        for state in gone {
            guard let output = state.outputPath, let url = OutputPath.existing(output, in: out) else { continue }
            try? FileManager.default.removeItem(at: url)
            var folder = url.deletingLastPathComponent().standardizedFileURL
            while folder.path.hasPrefix(out.path + "/"), OutputPath.isInside(folder: folder, of: out),
                  (try? FileManager.default.destinationOfSymbolicLink(atPath: folder.path)) == nil,
                  (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
                try? FileManager.default.removeItem(at: folder)
                folder = folder.deletingLastPathComponent().standardizedFileURL
            }
        }
        do { try await store.removeFiles(gone.map(\.path)) } catch {
            throw PipelineError(.output, "cannot prune the store", cause: error)
        }
        logger.info("pruned \(gone.count) output(s) whose inputs are gone")
        return gone.map(\.path)
    }
}
