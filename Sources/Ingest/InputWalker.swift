import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the TXT and PDF files under the inputs a user named, in a stable order.
///
/// The walk works on the bytes of names (so any name works), follows symbolic links but enters each
/// folder once (so link loops end), and never opens what it finds: a FIFO, socket or device with a
/// supported name is listed with its kind, so the run reports it instead of blocking on it.
public struct InputWalker: Sendable {
    /// Folders never descended into, such as the run's own output directory.
    public var excluded: [URL]
    /// Whether names starting with `.` are walked.
    public var includeHidden: Bool
    /// When not empty, only files matching one of these are taken.
    public var include: [Glob]
    /// Files matching any of these are left out, and folders they cover are not entered.
    public var exclude: [Glob]
    /// Whether folders yield office, EPUB and HTML files too, for a reader that sends them to Kimi.
    public var includeOffice: Bool

    public init(
        excluding excluded: [URL] = [], includeHidden: Bool = false, include: [Glob] = [], exclude: [Glob] = [],
        includeOffice: Bool = false
    ) {
        self.excluded = excluded
        self.includeHidden = includeHidden
        self.include = include
        self.exclude = exclude
        self.includeOffice = includeOffice
    }

    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// The files under `inputs`, sorted by id.
    ///
    /// A named file is taken whatever its extension; a directory yields its `.txt`, `.text`, `.md`
    /// and `.pdf` files at any depth. With several inputs, each id is prefixed by its input's name
    /// so ids stay unique.
    /// - Throws: ``IngestError`` with `.notFound` when an input does not exist.
    public func files(in inputs: [String]) throws(IngestError) -> [InputFile] {
        let skip = Set(excluded.compactMap { Self.identity(SystemPath($0.path)) })
        var found: [InputFile] = []
        var seen = Set<String>()
        for input in inputs {
            // Absolute, so that readers needing a file URI (poppler) get one.
            let root = SystemPath(URL(fileURLWithPath: input).standardizedFileURL.path)
            var info = stat()
            guard root.status(&info) else {
                let error = errno
                var link = stat()
                // A name that is there but leads nowhere (a link loop, a dangling link) is that
                // file's failure; only a name that is not there at all stops the command.
                guard root.withCString({ lstat($0, &link) }) == 0 else {
                    throw IngestError(.notFound, path: input, "no such file or directory")
                }
                let kind: InputFile.Kind = error == ELOOP ? .symlinkLoop : .brokenLink
                let name = URL(fileURLWithPath: input).lastPathComponent
                found.append(
                    InputFile(
                        id: seen.insert(name).inserted ? name : "_" + name, location: root, size: 0,
                        modified: Date(timeIntervalSince1970: 0), kind: kind))
                continue
            }
            let prefix = inputs.count > 1 ? URL(fileURLWithPath: input).standardizedFileURL.lastPathComponent + "/" : ""
            var files: [InputFile] = []
            if Self.isDirectory(info) {
                var visited = skip
                walk(root, relative: [], into: &files, visited: &visited, excluded: skip)
            } else {
                // A file named by itself keeps its own name, with or without other inputs.
                let name = URL(fileURLWithPath: input).lastPathComponent
                files.append(Self.file(id: name, at: root, info: info))
            }
            let prefixed = Self.isDirectory(info)
            for var file in files {
                if prefixed { file.id = prefix + file.id }
                while !seen.insert(file.id).inserted { file.id = "_" + file.id }
                found.append(file)
            }
        }
        return found.sorted { $0.id < $1.id }
    }

    private func walk(
        _ folder: SystemPath, relative: [UInt8], into files: inout [InputFile], visited: inout Set<FileID>,
        excluded: Set<FileID>
    ) {
        guard let id = Self.identity(folder), visited.insert(id).inserted || relative.isEmpty else { return }
        guard let stream = folder.openDirectory() else {
            let reason = String(cString: strerror(errno))
            files.append(
                InputFile(
                    id: SystemPath.display(relative) + "/", location: folder, size: 0,
                    modified: Date(timeIntervalSince1970: 0),
                    kind: .other, problem: "cannot open the folder: \(reason)"))
            return
        }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            if name.first == 0x2E && !includeHidden { continue }
            names.append(name)
        }
        for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let path = folder.appending(name)
            let rel = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
            let display = SystemPath.display(rel)
            var info = stat()
            if !path.status(&info) {
                let error = errno
                let never = Date(timeIntervalSince1970: 0)
                if error == ENOENT || error == ELOOP {
                    // A link whose target is missing, or links that point at each other.
                    let kind: InputFile.Kind = error == ELOOP ? .symlinkLoop : .brokenLink
                    if wanted(display) {
                        files.append(InputFile(id: display, location: path, size: 0, modified: never, kind: kind))
                    }
                } else {
                    // It may be a folder: whatever it holds would be missed without a word.
                    files.append(
                        InputFile(
                            id: display, location: path, size: 0, modified: never, kind: .other,
                            problem: "cannot look at it: \(String(cString: strerror(error)))"))
                }
                continue
            }
            if Self.isDirectory(info) {
                let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
                if excluded.contains(id) || visited.contains(id)
                    || exclude.contains(where: { $0.coversFolder(display) })
                {
                    continue
                }
                walk(path, relative: rel, into: &files, visited: &visited, excluded: excluded)
            } else if wanted(display) {
                files.append(Self.file(id: display, at: path, info: info))
            }
        }
    }

    /// Whether a file at this relative path is one precis reads and the globs let through.
    private func wanted(_ path: String) -> Bool {
        guard let format = InputFile.format(ofName: path), format != .office || includeOffice else { return false }
        if !include.isEmpty && !include.contains(where: { $0.matches(path) }) { return false }
        return !exclude.contains { $0.matches(path) }
    }

    private static func file(id: String, at path: SystemPath, info: stat) -> InputFile {
        let kind: InputFile.Kind =
            switch info.st_mode & S_IFMT {
            case S_IFREG: .regular
            case S_IFIFO: .fifo
            case S_IFSOCK: .socket
            case S_IFCHR, S_IFBLK: .device
            case S_IFDIR: .directory
            default: .other
            }
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        return InputFile(id: id, location: path, size: Int(info.st_size), modified: modified, kind: kind)
    }

    private static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

    private static func identity(_ path: SystemPath) -> FileID? {
        var info = stat()
        guard path.status(&info) else { return nil }
        return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
