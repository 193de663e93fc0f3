import Foundation

/// The cron case: a rerun over 1,000 files that have not changed, timed as the user runs it, by
/// starting the real `precis` binary (process start-up, the walk, the store and the outputs included).
enum RerunBench {
    struct Timing {
        var seconds: Double
        var status: Int32
        var summary: String
    }

    /// Writes `count` small documents cut from the samples, each different, in 10 folders.
    static func makeFiles(_ count: Int, in directory: URL, samples: URL) throws {
        let story = try String(contentsOf: samples.appendingPathComponent("en/harrow-point.txt"), encoding: .utf8)
        let paragraphs = story.components(separatedBy: "\n\n").filter { $0.count > 200 }
        try? FileManager.default.removeItem(at: directory)
        for i in 0..<count {
            let folder = directory.appendingPathComponent(String(format: "box-%02d", i % 10))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let text =
                "Note \(i)\n\n" + (0..<3).map { paragraphs[(i + $0 * 5) % paragraphs.count] }.joined(separator: "\n\n")
            try text.write(to: folder.appendingPathComponent("note-\(i).txt"), atomically: true, encoding: .utf8)
        }
        // Old enough that the fast path trusts size and mtime (see FileJob.statUnchanged).
        let past = Date().addingTimeInterval(-3600)
        for case let url as URL in FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)!
        where url.pathExtension == "txt" {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: url.path)
        }
    }

    /// The `precis` binary beside this benchmark, built in the same configuration.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("precis").path

    /// Runs the `precis` binary beside this one and times it.
    static func precis(_ arguments: [String]) throws -> Timing {
        let run = try IngestBench.time(binary, arguments, keepErrors: true)
        let last =
            String(decoding: run.errors, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix("precis: ") } ?? ""
        return Timing(seconds: run.seconds, status: run.status, summary: String(last.dropFirst(8)))
    }
}
