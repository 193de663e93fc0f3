import Foundation

/// Whose folder `--out` names: precis writes only into a new or empty folder, or one holding its
/// own `.precis/`, so a mistyped `--out` cannot overwrite somebody's `index.md` or notes.
enum OutputFolder {
    /// Refuses a folder that holds files and no `.precis/`, unless `force` says to write there anyway.
    static func check(_ out: URL, force: Bool) throws(PipelineError) {
        guard !force else { return }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw PipelineError(.usage, "--out \(out.path) is a file, not a folder; name a new or empty folder")
        }
        if FileManager.default.fileExists(atPath: out.appendingPathComponent(OutputLayout.state).path) { return }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: out.path) } catch {
            throw PipelineError(.output, "cannot read the output directory \(out.path)", cause: error)
        }
        guard entries.isEmpty else {
            let shown = entries.sorted().prefix(3).joined(separator: ", ") + (entries.count > 3 ? ", …" : "")
            throw PipelineError(
                .usage,
                "--out \(out.path) holds \(entries.count) file(s) (\(shown)) and is not a precis output folder (no .precis/ in it): precis would overwrite its index.md, report.json and pages there; name a new or empty folder, or pass --force to write into this one"
            )
        }
    }
}
