import Checkpoint
import Foundation

extension BatchRun {
    /// Removes the outputs and stored state of files whose inputs are gone; returns their paths.
    ///
    /// Only files under the output directory are removed, and folders left empty go with them.
    /// Their stored calls stay until `precis gc`, so restoring an input costs nothing.
    func prune(_ gone: [FileState], store: any RunStore) throws(PipelineError) -> [String] {
        guard !gone.isEmpty else { return [] }
        let out = options.outputDirectory.standardizedFileURL
        for state in gone {
            guard let output = state.outputPath, Self.isInside(output) else { continue }
            let url = out.appendingPathComponent(output)
            try? FileManager.default.removeItem(at: url)
            var folder = url.deletingLastPathComponent().standardizedFileURL
            while folder.path.hasPrefix(out.path + "/"),
                  (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
                try? FileManager.default.removeItem(at: folder)
                folder = folder.deletingLastPathComponent().standardizedFileURL
            }
        }
        do { try store.removeFiles(gone.map(\.path)) } catch {
            throw PipelineError(.output, "cannot prune the store", cause: error)
        }
        logger.info("pruned \(gone.count) output(s) whose inputs are gone")
        return gone.map(\.path)
    }

    /// Whether a stored relative output path stays inside the output directory.
    static func isInside(_ relative: String) -> Bool {
        !relative.hasPrefix("/") && !relative.split(separator: "/").contains("..")
    }
}
