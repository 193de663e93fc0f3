import Checkpoint
import Foundation

extension FolderRun {
    /// Removes the outputs and stored state of files whose inputs are gone; returns their paths.
    ///
    /// Only files really under the output directory are removed (not through a symlinked folder
    /// that leads elsewhere), and folders left empty go with them. Their stored calls stay until
    /// `precis gc`, so restoring an input costs nothing. An output that cannot be removed keeps its
    /// state, so the next `--prune` tries it again.
    func prune(_ gone: [FileState], store: any RunStore) async throws(PipelineError) -> [String] {
        guard !gone.isEmpty else { return [] }
        let out = options.outputDirectory.standardizedFileURL
        var removed: [String] = []
        for state in gone {
            if let output = state.outputPath, let url = OutputPath.existing(output, in: out) {
                do { try FileManager.default.removeItem(at: url) } catch {
                    logger.warning(
                        "cannot prune \(output), so it is kept: \(error)", metadata: ["path": "\(state.path)"])
                    continue
                }
                removeEmptyFolders(above: url, in: out)
            }
            removed.append(state.path)
        }
        do { try await store.removeFiles(removed) } catch {
            throw PipelineError(.output, "cannot prune the store", cause: error)
        }
        logger.info("pruned \(removed.count) output(s) whose inputs are gone")
        return removed
    }

    /// Removes the folders a pruned page leaves empty, up to the output directory.
    private func removeEmptyFolders(above url: URL, in out: URL) {
        var folder = url.deletingLastPathComponent().standardizedFileURL
        while folder.path.hasPrefix(out.path + "/"), OutputPath.isInside(folder: folder, of: out),
            Self.isEmptyFolder(folder)
        {
            // A folder that stays is only untidy; the pages are gone.
            do { try FileManager.default.removeItem(at: folder) } catch { return }
            folder = folder.deletingLastPathComponent().standardizedFileURL
        }
    }

    /// Whether `folder` is a real folder (not a symlink to one) with nothing in it.
    private static func isEmptyFolder(_ folder: URL) -> Bool {
        do {
            let type = try FileManager.default.attributesOfItem(atPath: folder.path)[.type] as? FileAttributeType
            guard type == .typeDirectory else { return false }
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty
        } catch {
            return false
        }
    }
}
