import Foundation

/// PDF extraction against pdftotext on the Debian corpus, and what cleaning saves in tokens.
enum IngestBench {
    /// The corpus: `CORPUS` if set, else `.build/corpus` (built by `make corpus`).
    static func corpus(root: URL) -> URL? {
        let path = ProcessInfo.processInfo.environment["CORPUS"] ?? root.appendingPathComponent(".build/corpus").path
        return FileManager.default.fileExists(atPath: path + "/MANIFEST.tsv") ? URL(fileURLWithPath: path) : nil
    }

    /// Every PDF of the corpus and the pages the manifest gives it.
    static func pdfs(in corpus: URL) throws -> [(path: String, pages: Int)] {
        let manifest = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        return manifest.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 4, fields.last!.hasSuffix(".pdf"), let pages = Int(fields[2]) else { return nil }
            return (corpus.appendingPathComponent(fields.last!).path, pages)
        }
    }

    /// Seconds to run `tool` with `arguments`, its output thrown away.
    static func time(_ tool: String, _ arguments: [String]) throws -> (seconds: Double, status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = clock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, process.terminationStatus, output)
    }

    /// The tokens `precis extract --json` counts over `inputs`, cleaned or raw.
    static func tokens(_ precis: String, _ inputs: [String], raw: Bool) throws -> Int {
        let run = try time(precis, ["extract", "--json"] + (raw ? ["--raw"] : []) + inputs)
        let items = try JSONSerialization.jsonObject(with: run.output) as? [[String: Any]] ?? []
        return items.reduce(0) { $0 + ($1["tokens"] as? Int ?? 0) }
    }
}
