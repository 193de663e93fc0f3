import Foundation

/// Where `--pipeline NAME` and `extends: NAME` are looked up, in order: a path; `./pipelines`;
/// `$XDG_CONFIG_HOME/precis/pipelines` (`~/.config/precis/pipelines` by default); the built-in copies.
public struct PipelineSearch: Sendable {
    /// Where a pipeline was found.
    public enum Origin: Sendable, Hashable {
        /// A path given as is.
        case path
        /// `./pipelines`, beside the working folder: a project's own pipelines.
        case project
        /// The user's configuration folder.
        case user
        /// Compiled into the binary.
        case builtIn
    }

    /// One pipeline the search found.
    public struct Source: Sendable, Hashable {
        public var name: String
        public var origin: Origin
        /// The file's path; `built-in:NAME` for a compiled-in one.
        public var location: String

        /// How messages name it: the path, or `NAME (built in)`.
        public var label: String { origin == .builtIn ? "\(name) (built in)" : location }

        /// The pipeline's YAML.
        func text() throws(PipelineError) -> String {
            if origin == .builtIn, let text = BuiltInPipelines.files[name] { return text }
            guard let data = FileManager.default.contents(atPath: location) else {
                throw PipelineError(.config, "\(location): pipeline file not found")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw PipelineError(.config, "\(location): the pipeline file is not UTF-8 text")
            }
            return text
        }
    }

    /// The folders searched by name, most local first, each with its origin.
    public let folders: [(origin: Origin, path: String)]

    /// The search as the environment sets it: `XDG_CONFIG_HOME`, else `HOME`; `./pipelines` is
    /// under `workingDirectory`.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        var folders: [(Origin, String)] = [(.project, workingDirectory + "/pipelines")]
        if let config = environment["XDG_CONFIG_HOME"].flatMap({ $0.hasPrefix("/") ? $0 : nil }) {
            folders.append((.user, config + "/precis/pipelines"))
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append((.user, home + "/.config/precis/pipelines"))
        }
        self.folders = folders
    }

    /// The pipeline `reference` names: an existing path, else the first of the folders that has
    /// `NAME.yaml` (or `.yml`), else the built-in one of that name. `besides` is a file whose
    /// folder is searched first, as `extends:` names its parent; locations in `skipping` are passed
    /// over, so that `~/.config/precis/pipelines/moonshot.yaml` may extend the built-in `moonshot`.
    func find(_ reference: String, besides: Source? = nil, skipping: Set<String> = []) -> Source? {
        candidates(reference, besides: besides).first { !skipping.contains($0.location) }
    }

    /// Every file `reference` could name, in the order they are tried.
    private func candidates(_ reference: String, besides: Source?) -> [Source] {
        var found: [Source] = []
        let fm = FileManager.default
        if besides == nil || reference.hasPrefix("/"), fm.fileExists(atPath: reference), !isDirectory(reference) {
            found.append(
                Source(
                    name: Self.stem(reference), origin: .path,
                    location: URL(fileURLWithPath: reference).standardizedFileURL.path))
        }
        if let besides, besides.origin != .builtIn {
            let folder = URL(fileURLWithPath: besides.location).deletingLastPathComponent()
            for candidate in [reference] + Self.fileNames(reference) {
                let path = folder.appendingPathComponent(candidate).standardizedFileURL.path
                if fm.fileExists(atPath: path), !isDirectory(path) {
                    found.append(Source(name: Self.stem(candidate), origin: besides.origin, location: path))
                }
            }
        }
        guard !reference.contains("/") else { return found }
        for (origin, folder) in folders {
            for file in Self.fileNames(reference) {
                let path = folder + "/" + file
                if fm.fileExists(atPath: path), !isDirectory(path) {
                    found.append(
                        Source(
                            name: Self.stem(file), origin: origin,
                            location: URL(fileURLWithPath: path).standardizedFileURL.path))
                }
            }
        }
        let name = Self.stem(reference)
        if BuiltInPipelines.files[name] != nil {
            found.append(Source(name: name, origin: .builtIn, location: "built-in:\(name)"))
        }
        return found
    }

    /// Every pipeline the folders and the binary hold, by name; for each name, the one a lookup
    /// finds first, then those it hides.
    public func all() -> [(found: Source, hidden: [Source])] {
        var byName: [String: [Source]] = [:]
        for (origin, folder) in folders {
            // A folder on the search path that is not there holds no pipelines.
            let files = FileManager.default.fileExists(atPath: folder) ? FileManager.default.entries(of: folder) : []
            for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                let path = URL(fileURLWithPath: folder + "/" + file).standardizedFileURL.path
                byName[Self.stem(file), default: []].append(
                    Source(name: Self.stem(file), origin: origin, location: path))
            }
        }
        for name in BuiltInPipelines.files.keys {
            byName[name, default: []].append(Source(name: name, origin: .builtIn, location: "built-in:\(name)"))
        }
        return byName.keys.sorted().map { name in
            let sources = byName[name]!
            return (sources[0], Array(sources.dropFirst()))
        }
    }

    private static func fileNames(_ name: String) -> [String] {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml") ? [name] : [name + ".yaml", name + ".yml"]
    }

    private static func stem(_ path: String) -> String {
        let file = (path as NSString).lastPathComponent
        return file.hasSuffix(".yaml") || file.hasSuffix(".yml") ? (file as NSString).deletingPathExtension : file
    }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
