import Foundation

/// Where a page goes under the output directory, and the proof that it stays there.
enum OutputPath {
    /// `relative` under `out`, refused when it is absolute, climbs with `..`, or reaches through a
    /// symlinked folder to somewhere outside `out`.
    static func resolve(_ relative: String, in out: URL) throws(PipelineError) -> URL {
        let components = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !relative.hasPrefix("/"),
              !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw PipelineError(.output, "\(relative): refusing an output path outside \(out.path)")
        }
        let url = out.appendingPathComponent(relative)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.output, "cannot create \(folder.path)", cause: error)
        }
        let root = real(out)
        guard let inside = real(folder), let root, inside == root || inside.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw PipelineError(.output, "\(relative): its folder leads outside \(out.path) through a symlink; refusing to write there")
        }
        return url
    }

    private static func real(_ url: URL) -> String? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
