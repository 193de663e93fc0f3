import Foundation

/// Finds the TXT and PDF files under the inputs a user named, in a stable order.
public struct InputWalker: Sendable {
    /// Directories never descended into, such as the run's own output directory.
    public var excluded: [URL]

    public init(excluding excluded: [URL] = []) {
        self.excluded = excluded.map { $0.standardizedFileURL.resolvingSymlinksInPath() }
    }

    /// The files under `inputs`, sorted by id.
    ///
    /// A named file is taken whatever its extension; a directory yields its `.txt`, `.text`, `.md`
    /// and `.pdf` files at any depth, skipping hidden ones. With several inputs, each id is prefixed
    /// by its input's name so ids stay unique.
    /// - Throws: ``IngestError`` with `.notFound` when an input does not exist.
    public func files(in inputs: [String]) throws(IngestError) -> [InputFile] {
        var found: [InputFile] = []
        var seen = Set<String>()
        for input in inputs {
            let root = URL(fileURLWithPath: input).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
                throw IngestError(.notFound, path: input, "no such file or directory")
            }
            let prefix = inputs.count > 1 ? root.lastPathComponent + "/" : ""
            let files = isDirectory.boolValue ? walk(root) : [(root.lastPathComponent, root)]
            for (relative, url) in files {
                var id = prefix + relative
                while !seen.insert(id).inserted { id = "_" + id }
                guard let file = stat(id: id, url: url) else { continue }
                found.append(file)
            }
        }
        return found.sorted { $0.id < $1.id }
    }

    private func walk(_ root: URL) -> [(String, URL)] {
        let keys: [URLResourceKey] = [.isDirectoryKey]
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]
        ) else { return [] }
        let rootPath = root.resolvingSymlinksInPath().path
        var out: [(String, URL)] = []
        for case let url as URL in enumerator {
            let resolved = url.standardizedFileURL.resolvingSymlinksInPath()
            if excluded.contains(where: { resolved.path == $0.path || resolved.path.hasPrefix($0.path + "/") }) {
                enumerator.skipDescendants()
                continue
            }
            guard InputFile.format(ofExtension: url.pathExtension) != nil else { continue }
            let path = url.standardizedFileURL.path
            let relative = path.hasPrefix(rootPath + "/") ? String(path.dropFirst(rootPath.count + 1))
                : path.hasPrefix(root.path + "/") ? String(path.dropFirst(root.path.count + 1))
                : url.lastPathComponent
            out.append((relative, url))
        }
        return out
    }

    private func stat(id: String, url: URL) -> InputFile? {
        guard let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .fileSizeKey, .contentModificationDateKey]),
              values.isDirectory != true else { return nil }
        return InputFile(id: id, url: url, size: values.fileSize ?? 0, modified: values.contentModificationDate ?? Date(timeIntervalSince1970: 0))
    }
}
