import Foundation
import Synchronization

/// Paths and scratch space shared by the tests of every module.
public enum TestSupport {
    /// The package root, found from this file's path.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static let samples = root.appendingPathComponent("samples")

    /// The built `precis` binary: `PRECIS_BIN` if set, else the debug build.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["PRECIS_BIN"] { return URL(fileURLWithPath: path) }
        return root.appendingPathComponent(".build/debug/precis")
    }

    /// A new empty directory, removed by the caller or left for the OS to clean.
    public static func temporaryDirectory(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("precis-tests-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` as UTF-8 to `name` under `directory`, creating folders.
    @discardableResult
    public static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        try write(Data(text.utf8), to: name, in: directory)
    }

    @discardableResult
    public static func write(_ data: Data, to name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }

    /// The long English sample, a real multi-chapter text.
    public static func storyText() throws -> String {
        try String(contentsOf: samples.appendingPathComponent("en/harrow-point.txt"), encoding: .utf8)
    }

    /// SHA-256-free fingerprint of every `.md` under `directory`: relative path → contents.
    public static func markdownFiles(in directory: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = directory.standardizedFileURL.path
        guard let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return out }
        for case let url as URL in e where url.pathExtension == "md" {
            // `generated_at` is the one front-matter line that differs between identical runs.
            let page = try String(contentsOf: url, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .filter { !$0.hasPrefix("generated_at: ") }.joined(separator: "\n")
            out[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = Data(page.utf8)
        }
        return out
    }
}

/// A value shared between test tasks.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    @discardableResult
    public func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }

    public var value: Value { mutex.withLock { $0 } }
}
