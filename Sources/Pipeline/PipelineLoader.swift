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
        guard fm.fileExists(atPath: path) else {
            let names = PipelineCatalog.list().map(\.name)
            let known = names.isEmpty ? "there is no ./pipelines folder here" : "./pipelines has \(names.joined(separator: ", "))"
            throw PipelineError(.config, "\(reference): no such pipeline file; give a path to a .yaml file or a name from ./pipelines (\(known); `precis pipelines` describes them)")
        }
        return try parse(try read(path), file: path)
    }

    /// Parses and validates pipeline YAML; `file` names it in errors, and a relative `extends:`
    /// is looked for beside it, then in `./pipelines/`.
    public static func parse(_ yaml: String, file: String) throws(PipelineError) -> PipelineConfig {
        guard let node = try resolve(yaml, file: file, chain: [URL(fileURLWithPath: file).standardizedFileURL.path]) else { return .builtIn }
        let config: PipelineConfig
        do { config = try YAMLDecoder().decode(PipelineConfig.self, from: node) } catch {
            throw PipelineError(.config, "\(file): \(describe(error, in: node))")
        }
        try config.validate(file: file)
        return config
    }

    /// The file's YAML with what it `extends` merged under it: its own keys win, nested mappings
    /// merge key by key, and a chain of `extends` is followed to its root.
    static func resolve(_ yaml: String, file: String, chain: [String]) throws(PipelineError) -> Node? {
        let composed: Node?
        do { composed = try Yams.compose(yaml: yaml) } catch {
            throw PipelineError(.config, "\(file): not valid YAML: \(error)")
        }
        guard let node = composed else { return nil }
        guard var mapping = node.mapping else { throw PipelineError(.config, "\(file): a pipeline must be a mapping of keys") }
        try checkKeys(node, path: "", file: file)
        guard let parentNode = mapping["extends"] else { return node }
        guard let parent = parentNode.string, !parent.isEmpty else {
            throw PipelineError(.config, "\(file)\(parentNode.mark.map { ", line \($0.line)" } ?? ""): extends names a pipeline file or a name in pipelines/")
        }
        let parentPath = try locate(parent, from: file)
        if chain.contains(parentPath) {
            throw PipelineError(.config, "\(file): extends makes a cycle: \((chain + [parentPath]).joined(separator: " → "))")
        }
        mapping["extends"] = nil
        guard let base = try resolve(try read(parentPath), file: parentPath, chain: chain + [parentPath]) else { return .mapping(mapping) }
        return merge(base, over: .mapping(mapping))
    }

    /// `top` over `base`: mappings merge key by key, anything else is replaced.
    static func merge(_ base: Node, over top: Node) -> Node {
        guard var merged = base.mapping, let overrides = top.mapping else { return top }
        for (key, value) in overrides {
            merged[key] = merged[key].map { merge($0, over: value) } ?? value
        }
        return .mapping(merged)
    }

    /// The file `extends` names: beside the extending file, then in `./pipelines/`.
    private static func locate(_ name: String, from file: String) throws(PipelineError) -> String {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let withYAML = name.hasSuffix(".yaml") || name.hasSuffix(".yml") ? name : name + ".yaml"
        let candidates = name.hasPrefix("/") ? [name] : [folder.appendingPathComponent(name).path, folder.appendingPathComponent(withYAML).path, "pipelines/" + withYAML]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw PipelineError(.config, "\(file): extends '\(name)', which is not beside it or in pipelines/")
        }
        return URL(fileURLWithPath: found).standardizedFileURL.path
    }

    private static func read(_ path: String) throws(PipelineError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(.config, "\(path): pipeline file not found")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineError(.config, "\(path): the pipeline file is not UTF-8 text")
        }
        return text
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
        if let choices = PipelineConfig.choices[key], let value = node?.string {
            let line = node?.mark.map { "line \($0.line): " } ?? ""
            return "\(line)'\(key)': '\(value)' is not one of \(choices.joined(separator: ", "))"
        }
        let line = node?.mark.map { "line \($0.line): " } ?? ""
        return "\(line)\(key.isEmpty ? "" : "'\(key)': ")\(reason)"
    }
}
