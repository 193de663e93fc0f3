import Foundation
import Yams

/// Reads pipeline files, with errors that name the file, the key and the line.
public enum PipelineLoader {
    /// The pipeline named by `reference`: a path, or a name under `./pipelines/`; nil gives the built-in default.
    public static func load(_ reference: String?) throws(PipelineError) -> PipelineConfig {
        guard let reference else { return .builtIn }
        let fm = FileManager.default
        var path = reference
        if !fm.fileExists(atPath: path), !reference.contains("/") {
            let named = "pipelines/\(reference)" + (reference.hasSuffix(".yaml") ? "" : ".yaml")
            if fm.fileExists(atPath: named) { path = named }
        }
        guard let data = fm.contents(atPath: path) else {
            throw PipelineError(.config, "\(reference): pipeline file not found")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineError(.config, "\(path): the pipeline file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses and validates pipeline YAML; `file` names it in errors.
    public static func parse(_ yaml: String, file: String) throws(PipelineError) -> PipelineConfig {
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw PipelineError(.config, "\(file): not valid YAML: \(error)")
        }
        guard let node else { return .builtIn }
        guard node.mapping != nil else { throw PipelineError(.config, "\(file): a pipeline must be a mapping of keys") }
        try checkKeys(node, path: "", file: file)
        let config: PipelineConfig
        do { config = try YAMLDecoder().decode(PipelineConfig.self, from: node) } catch {
            throw PipelineError(.config, "\(file): \(describe(error, in: node))")
        }
        try config.validate(file: file)
        return config
    }

    private static func checkKeys(_ node: Node, path: String, file: String) throws(PipelineError) {
        guard let mapping = node.mapping, let allowed = PipelineConfig.knownKeys[path] else { return }
        for (key, value) in mapping {
            let name = key.string ?? "?"
            let full = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                let line = key.mark.map { ", line \($0.line)" } ?? ""
                throw PipelineError(.config, "\(file)\(line): unknown key '\(full)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            try checkKeys(value, path: full, file: file)
        }
    }

    private static func describe(_ error: any Error, in root: Node) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        let (path, reason): ([any CodingKey], String) = switch error {
        case .typeMismatch(let type, let c): (c.codingPath, "expected \(type)")
        case .valueNotFound(let type, let c): (c.codingPath, "missing \(type) value")
        case .keyNotFound(let key, let c): (c.codingPath + [key], "missing key")
        case .dataCorrupted(let c): (c.codingPath, c.debugDescription)
        @unknown default: ([], String(describing: error))
        }
        let key = path.map(\.stringValue).joined(separator: ".")
        var node: Node? = root
        for component in path { node = node?.mapping?[component.stringValue] }
        let line = node?.mark.map { "line \($0.line): " } ?? ""
        return "\(line)\(key.isEmpty ? "" : "'\(key)': ")\(reason)"
    }
}
