import Foundation

/// Where a page goes under the output directory, and the proof that it stays there.
///
/// Every write and every delete under the output directory comes through here: a path that is
/// absolute, climbs with `..`, or reaches through a symlinked folder to somewhere outside is
/// refused, and no folder is made outside on the way.
enum OutputPath {
    /// `relative` under `out`, with its folders made one by one, each checked to lie inside `out`
    /// before the next is made in it.
    static func resolve(_ relative: String, in out: URL) throws(PipelineError) -> URL {
        try checkShape(relative, in: out)
        // The output folder itself is the user's to name, wherever it leads; a fleet's worker may be
        // the first to write in it.
        do { try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true) } catch {
            throw PipelineError(.output, "cannot create the output directory \(out.path)", cause: error)
        }
        guard let root = real(out) else { throw PipelineError(.output, "cannot open the output directory \(out.path)") }
        var folder = out
        for component in relative.split(separator: "/").dropLast() {
            folder = folder.appendingPathComponent(String(component))
            if real(folder) == nil {
                // Its parent is checked already, so this makes only the last folder; another file's
                // job making it at the same moment is not an error.
                do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                    throw PipelineError(.output, "cannot create \(folder.path)", cause: error)
                }
            }
            guard let inside = real(folder), contains(root, inside) else {
                throw PipelineError(
                    .output,
                    "\(relative): its folder leads outside \(out.path) through a symlink; refusing to write there")
            }
        }
        return out.appendingPathComponent(relative)
    }

    /// `relative` under `out` when it exists and its folder really lies inside `out`, for deleting;
    /// nil otherwise, and nothing is made.
    static func existing(_ relative: String, in out: URL) -> URL? {
        guard (try? checkShape(relative, in: out)) != nil, let root = real(out) else { return nil }
        let url = out.appendingPathComponent(relative)
        guard let folder = real(url.deletingLastPathComponent()), contains(root, folder) else { return nil }
        return url
    }

    /// Whether `folder` is `out` or a folder that really lies inside it.
    static func isInside(folder: URL, of out: URL) -> Bool {
        guard let root = real(out), let inside = real(folder) else { return false }
        return contains(root, inside)
    }

    private static func checkShape(_ relative: String, in out: URL) throws(PipelineError) {
        let components = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !relative.hasPrefix("/"),
            !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        else {
            throw PipelineError(.output, "\(relative): refusing an output path outside \(out.path)")
        }
    }

    private static func contains(_ root: String, _ path: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    private static func real(_ url: URL) -> String? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
