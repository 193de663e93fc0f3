import Foundation

/// The pipelines a user can pick by name: the files in a `pipelines/` folder.
public enum PipelineCatalog {
    /// One pipeline file, loaded, or the reason it does not load.
    public struct Entry: Sendable {
        public var name: String
        public var path: String
        public var config: Result<PipelineConfig, PipelineError>

        /// One line: name, what it runs on, and its description or its error.
        public var line: String {
            switch config {
            case .success(let config):
                let engine = config.backend == .extractive ? "extractive, offline" : "\(config.llm.model) via \(config.llm.apiKeyEnv)"
                return "\(name)  (\(engine))  \(config.description ?? "")"
            case .failure(let error):
                return "\(name)  (does not load)  \(error)"
            }
        }
    }

    /// Every `.yaml` file in `folder`, by name.
    public static func list(in folder: String = "pipelines") -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { file in
            let path = (folder as NSString).appendingPathComponent(file)
            let name = (file as NSString).deletingPathExtension
            return Entry(name: name, path: path, config: Result { () throws(PipelineError) in try PipelineLoader.load(path) })
        }
    }
}
