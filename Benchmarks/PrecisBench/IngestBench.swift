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

    /// Runs `tool` and times it, start-up included; stdout comes back, and stderr when asked for
    /// (through a file, so neither pipe can fill and stall it).
    static func time(_ tool: String, _ arguments: [String], keepErrors: Bool = false, discardOutput: Bool = false)
        throws
        -> (seconds: Double, status: Int32, output: Data, errors: Data)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = discardOutput ? FileHandle.nullDevice : pipe
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "precis-bench-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardError = keepErrors ? try FileHandle(forWritingTo: errorFile) : FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let output = discardOutput ? Data() : pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = clock.now - start
        let errors = keepErrors ? (try? Data(contentsOf: errorFile)) ?? Data() : Data()
        return (
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            process.terminationStatus, output, errors
        )
    }

    /// The figure: the first 60 corpus PDFs in path order, `pdftotext FILE /dev/null` run per
    /// file against one `precis extract --jobs 1` over them, both writing nowhere; OCR off, and its
    /// cost apart.
    static func firstSixty(corpus: URL, line: (String) -> Void) throws {
        let pdfs = Array(try pdfs(in: corpus).sorted { $0.path < $1.path }.prefix(60))
        let pages = Double(pdfs.reduce(0) { $0 + $1.pages })
        var anchor = Double.infinity
        var plain = Double.infinity
        var ocr = Double.infinity
        // One shell loop, as a user runs pdftotext over files: Foundation's Process would add its
        // own start-up to each of the 60 and flatter precis.
        let loop = "for f in \"$@\"; do /usr/bin/pdftotext \"$f\" /dev/null; done"
        for _ in 0..<3 {
            anchor = min(
                anchor, try time("/bin/sh", ["-c", loop, "sh"] + pdfs.map(\.path), discardOutput: true).seconds)
            plain = min(
                plain,
                try time(
                    RerunBench.binary, ["extract", "--jobs", "1", "--ocr", "never"] + pdfs.map(\.path),
                    discardOutput: true
                ).seconds)
        }
        ocr = try time(RerunBench.binary, ["extract", "--jobs", "1"] + pdfs.map(\.path), discardOutput: true).seconds
        line(
            "pdf60         the first \(pdfs.count) corpus PDFs in path order (\(Int(pages)) pages): pdftotext FILE /dev/null per file (one shell loop) \(f(anchor, 2)) s; precis extract --jobs 1 --ocr never \(f(plain, 2)) s = \(f(anchor / plain))× (target ≥ 0.95); with the default OCR \(f(ocr, 2)) s (OCR costs \(f(ocr - plain, 2)) s)"
        )
    }

    /// The tokens `precis extract --json` counts over `inputs`, cleaned or raw.
    static func tokens(_ precis: String, _ inputs: [String], raw: Bool) throws -> Int {
        let run = try time(precis, ["extract", "--json"] + (raw ? ["--raw"] : []) + inputs)
        let items = try JSONSerialization.jsonObject(with: run.output) as? [[String: Any]] ?? []
        return items.reduce(0) { $0 + ($1["tokens"] as? Int ?? 0) }
    }
}
