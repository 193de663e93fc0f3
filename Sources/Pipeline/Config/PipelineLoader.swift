import Foundation
import Yams

/// Reads pipeline files, with errors that name the file, the key and the line.
public enum PipelineLoader {
    /// The pipeline named by `reference`, looked up as ``PipelineSearch`` orders it: a path,
    /// `./pipelines`, the user's folder, then the built-in copies; nil gives the built-in default.
    public static func load(_ reference: String?, search: PipelineSearch = PipelineSearch()) throws(PipelineError)
        -> PipelineConfig
    {
        guard let reference else { return .builtIn }
        guard let source = search.find(reference) else {
            let names = search.all().map(\.found.name)
            throw PipelineError(
                .config,
                "\(reference): no such pipeline file; give a path to a .yaml file or one of \(names.joined(separator: ", ")) (`precis pipelines` says where each comes from)"
            )
        }
        return try parse(source, search: search)
    }

    /// Parses and validates pipeline YAML; `file` names it in errors, and a relative `extends:`
    /// is looked for beside it, then as ``PipelineSearch`` orders it.
    public static func parse(_ yaml: String, file: String, search: PipelineSearch = PipelineSearch())
        throws(PipelineError) -> PipelineConfig
    {
        let source = PipelineSearch.Source(
            name: file, origin: .path, location: URL(fileURLWithPath: file).standardizedFileURL.path)
        return try parse(yaml, source: source, label: file, search: search)
    }

    static func parse(_ source: PipelineSearch.Source, search: PipelineSearch) throws(PipelineError) -> PipelineConfig {
        try parse(
            try source.text(), source: source, label: source.origin == .path ? source.location : source.label,
            search: search)
    }

    private static func parse(_ yaml: String, source: PipelineSearch.Source, label: String, search: PipelineSearch)
        throws(PipelineError) -> PipelineConfig
    {
        guard let node = try resolve(yaml, source: source, label: label, chain: [source.location], search: search)
        else { return .builtIn }
        let config: PipelineConfig
        do { config = try YAMLDecoder().decode(PipelineConfig.self, from: node) } catch {
            throw PipelineError(.config, "\(label): \(describe(error, in: node))")
        }
        try config.validate(file: label)
        return config
    }

    /// The file's YAML with what it `extends` merged under it: its own keys win, nested mappings
    /// merge key by key, and a chain of `extends` is followed to its root.
    static func resolve(
        _ yaml: String, source: PipelineSearch.Source, label file: String, chain: [String],
        search: PipelineSearch
    ) throws(PipelineError) -> Node? {
        let composed: Node?
        do { composed = try Yams.compose(yaml: yaml) } catch {
            throw PipelineError(.config, "\(file): not valid YAML: \(error)")
        }
        guard let node = composed else { return nil }
        guard var mapping = node.mapping else {
            throw PipelineError(.config, "\(file): a pipeline must be a mapping of keys")
        }
        try checkKeys(node, path: "", file: file)
        guard let parentNode = mapping["extends"] else { return node }
        guard let parent = parentNode.string, !parent.isEmpty else {
            throw PipelineError(
                .config,
                "\(file)\(parentNode.mark.map { ", line \($0.line)" } ?? ""): extends names a pipeline file or a pipeline's name"
            )
        }
        // A file never extends itself: `moonshot` extending `moonshot` means the next one down the search.
        guard let parentSource = search.find(parent, besides: source, skipping: Set(chain)) else {
            if let looped = search.find(parent, besides: source) {
                throw PipelineError(
                    .config, "\(file): extends makes a cycle: \((chain + [looped.location]).joined(separator: " → "))")
            }
            let places = (["beside it"] + search.folders.map { $0.path } + ["built in"]).joined(separator: ", ")
            throw PipelineError(.config, "\(file): extends '\(parent)', which is not found (looked \(places))")
        }
        mapping["extends"] = nil
        let parentLabel = parentSource.origin == .builtIn ? parentSource.label : parentSource.location
        guard
            let base = try resolve(
                try parentSource.text(), source: parentSource, label: parentLabel,
                chain: chain + [parentSource.location], search: search)
        else { return .mapping(mapping) }
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

    private static func checkKeys(_ node: Node, path: String, file: String) throws(PipelineError) {
        guard let mapping = node.mapping, let allowed = PipelineConfig.knownKeys[path] else { return }
        for (key, value) in mapping {
            let name = key.string ?? "?"
            let full = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                let line = key.mark.map { ", line \($0.line)" } ?? ""
                throw PipelineError(
                    .config,
                    "\(file)\(line): unknown key '\(full)' (expected one of: \(allowed.sorted().joined(separator: ", ")))"
                )
            }
            try checkKeys(value, path: full, file: file)
        }
    }

    private static func describe(_ error: any Error, in root: Node) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        let (path, reason): ([any CodingKey], String) =
            switch error {
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
