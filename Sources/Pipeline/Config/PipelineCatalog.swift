import Foundation

/// The pipelines a user can pick by name, and where each comes from.
public enum PipelineCatalog {
    /// One pipeline, loaded, or the reason it does not load.
    public struct Entry: Sendable {
        public var name: String
        /// Where `--pipeline NAME` finds it.
        public var source: PipelineSearch.Source
        /// Copies of the same name that it hides, further down the search.
        public var hidden: [PipelineSearch.Source]
        public var config: Result<PipelineConfig, PipelineError>

        /// One line: name, what it runs on, its description or its error, and where it comes from.
        public var line: String {
            let from: String =
                switch source.origin {
                case .builtIn: "built in"
                case .path, .project, .user: Self.shortened(source.location)
                }
            let hides =
                hidden.isEmpty
                ? ""
                : ", over the "
                    + hidden.map { $0.origin == .builtIn ? "built-in one" : Self.shortened($0.location) }.joined(
                        separator: " and ")
            switch config {
            case .success(let config):
                let engine =
                    config.backend == .extractive
                    ? "extractive, offline" : "\(config.llm.model) via \(config.llm.apiKeyEnv)"
                return "\(name)  (\(engine))  \(config.description ?? "")  [\(from)\(hides)]"
            case .failure(let error):
                return "\(name)  (does not load)  \(error)  [\(from)\(hides)]"
            }
        }

        /// A path with the home folder written `~` and the working folder `.`.
        static func shortened(_ path: String) -> String {
            let here = FileManager.default.currentDirectoryPath
            if path.hasPrefix(here + "/") { return "." + path.dropFirst(here.count) }
            if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty, path.hasPrefix(home + "/") {
                return "~" + path.dropFirst(home.count)
            }
            return path
        }
    }

    /// Every pipeline `--pipeline NAME` can find, by name.
    public static func list(_ search: PipelineSearch = PipelineSearch()) -> [Entry] {
        search.all().map { found, hidden in
            Entry(
                name: found.name, source: found, hidden: hidden,
                config: Result { () throws(PipelineError) in try PipelineLoader.parse(found, search: search) })
        }
    }
}
