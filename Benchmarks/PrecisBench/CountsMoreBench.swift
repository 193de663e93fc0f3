import Foundation
import Logging
import Pipeline
import PrecisTesting

/// Twenty Debian documentation texts of 20–60 kB through the shipped Kimi pipelines, against a
/// fake server whose tokenizer counts twice what precis estimates: every file must finish.
enum CountsMoreBench {
    /// The first 20 corpus TXT files of 20 to 60 kB, in sorted path order.
    static func sample(_ corpus: URL) throws -> [URL] {
        let manifest = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        let files = manifest.split(separator: "\n").compactMap { line -> (String, Int)? in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 3, let path = fields.last, path.hasPrefix("txt/"), path.hasSuffix(".txt"),
                let bytes = Int(fields[1]), (20_000...60_000).contains(bytes)
            else { return nil }
            return (path, bytes)
        }
        return files.map(\.0).sorted().prefix(20).map { corpus.appendingPathComponent($0) }
    }

    static func report(corpus: URL, scratch: URL, line: (String) -> Void) async throws {
        let input = scratch.appendingPathComponent("counts-more")
        try? FileManager.default.removeItem(at: input)
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let files = try sample(corpus)
        for file in files {
            try FileManager.default.copyItem(
                at: file,
                to: input.appendingPathComponent(
                    file.path.replacingOccurrences(of: corpus.path + "/", with: "").replacingOccurrences(
                        of: "/", with: "_")))
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        for name in ["moonshot", "kimi"] {
            let fake = try await FakeMoonshotServer.start(FakeServerConfiguration(tokenScale: 2))
            let out = scratch.appendingPathComponent("out-counts-more-\(name)")
            try? FileManager.default.removeItem(at: out)
            let options = RunOptions(
                inputs: [input.path], outputDirectory: out, concurrency: 8,
                environment: ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": fake.baseURL])
            let report = try await FolderRun(options: options, config: try PipelineLoader.load(name), logger: logger)
                .run()
            let stats = fake.stats
            await fake.stop()
            let failed = report.files.filter { $0.status != .ok }.map { "\($0.path): \($0.error ?? "")" }
            line(
                "counts-more   \(name) on \(files.count) corpus texts of 20–60 kB, server counting 2× the estimate: \(report.totals.ok)/\(files.count) ok (target all), \(stats.badRequests) call(s) refused for length and split, \(stats.completed) calls, \(stats.repeatedCompletions) paid twice"
                    + (failed.isEmpty ? "" : "; failed: \(failed.joined(separator: "; "))"))
        }
    }
}
