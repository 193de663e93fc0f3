import Chunking
import Foundation

extension LocalBench {
    /// The Python with the anchors installed (`make bench` makes it), if any.
    static var python: String? {
        let path = ProcessInfo.processInfo.environment["BENCH_PYTHON"] ?? ".build/venv-bench/bin/python"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs `scripts/bench_anchors.py command` over `texts` and returns its JSON.
    static func anchor(_ command: String, _ texts: [(path: String, text: String)], root: URL, scratch: URL) throws
        -> [String: Any]?
    {
        guard let python else { return nil }
        let listing = scratch.appendingPathComponent("anchor-\(command).txt")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try texts.map(\.path).joined(separator: "\n").write(to: listing, atomically: true, encoding: .utf8)
        let run = try IngestBench.time(
            python, [root.appendingPathComponent("scripts/bench_anchors.py").path, command, listing.path])
        return try JSONSerialization.jsonObject(with: run.output) as? [String: Any]
    }

    /// Prints the chunker, estimator, extractive and memory figures with their anchors.
    static func report(corpus: URL, root: URL, scratch: URL, wanted: (String) -> Bool, line: (String) -> Void)
        async throws
    {
        let all = texts(in: corpus)
        let bytes = Double(all.reduce(0) { $0 + $1.text.utf8.count })
        let noAnchor = "no anchor: run `make bench`, which installs them in .build/venv-bench"

        if wanted("chunk") {
            let ours = chunk(all.map(\.text), budget: 1000)
            let mbs = bytes / 1e6 / ours.seconds
            var versus = noAnchor
            if let lc = try anchor("split", all, root: root, scratch: scratch), let theirs = lc["mb_per_s"] as? Double {
                versus =
                    "langchain RecursiveCharacterTextSplitter (4,000 characters) \(f(theirs, 1)) MB/s: ratio \(f(mbs / theirs)) (target ≥ 1.0)"
            }
            line(
                "chunker       \(all.count) corpus texts, \(f(bytes / 1e6, 1)) MB, 1,000-token chunks: \(f(mbs, 1)) MB/s (target ≥ 70), \(ours.chunks) chunks; vs \(versus)"
            )
        }

        if wanted("estimator") {
            let estimator = TokenEstimator()
            let clock = ContinuousClock()
            let start = clock.now
            var tokens = 0
            for (_, text) in all { tokens += estimator.estimate(text) }
            let mbs = bytes / 1e6 / seconds(clock.now - start)
            var speed = "\(f(mbs, 0)) MB/s"
            if let count = try anchor("count", extractiveSample(all, megabytes: 2), root: root, scratch: scratch),
                let theirs = count["mb_per_s"] as? Double
            {
                speed += " vs cl100k_base (bpe-openai) \(f(theirs, 1)) MB/s: \(f(mbs / theirs, 0))×"
            }
            if let python {
                let summary = scratch.appendingPathComponent("estimator.json")
                _ = try IngestBench.time(
                    python,
                    [
                        root.appendingPathComponent("scripts/measure_estimator.py").path, "--precis", RerunBench.binary,
                        "--worst", "0", "--json", summary.path, "--cache",
                        root.appendingPathComponent(".build/estimator-cache.json").path, corpus.path
                    ])
                if let data = FileManager.default.contents(atPath: summary.path),
                    let m = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let files = m["files"] as? Int, let under = m["under_2_percent"] as? Int,
                    let lowest = m["lowest"] as? Double, let median = m["median"] as? Double,
                    let overall = m["overall"] as? Double
                {
                    line(
                        "estimator     every corpus file (\(files), TXT and PDF) vs cl100k_base: estimate/real lowest \(f(lowest, 3)) (\(m["lowest_file"] as? String ?? "")), median \(f(median, 3)), overall \(f(overall, 3)); \(under) files under by more than 2% (target 0); \(speed)"
                    )
                }
            } else {
                line("estimator     \(speed); error vs cl100k_base: \(noAnchor)")
            }
        }

        if wanted("extractive") {
            let sample = extractiveSample(all, megabytes: 1.5)
            let sampleMB = Double(sample.reduce(0) { $0 + $1.text.utf8.count }) / 1e6
            let ours = try await extractive(sample.map(\.text)) / sampleMB
            var versus = noAnchor
            if let s = try anchor("sumy", sample, root: root, scratch: scratch),
                let lex = (s["lexrank"] as? [String: Any])?["s_per_mb"] as? Double,
                let text = (s["textrank"] as? [String: Any])?["s_per_mb"] as? Double
            {
                versus =
                    "sumy LexRank \(f(lex)) s/MB = \(f(lex / ours, 0))×, TextRank \(f(text)) s/MB = \(f(text / ours, 0))× (target ≥ 20×)"
            }
            line(
                "extractive    \(sample.count) English corpus texts, \(f(sampleMB)) MB, whole tree (map, reduce, final): \(f(ours, 3)) s/MB (target ≤ 0.5); vs \(versus)"
            )
            let largest = all.sorted { $0.text.utf8.count > $1.text.utf8.count }.prefix(3)
            var sizes: [String] = []
            for doc in largest {
                let mb = Double(doc.text.utf8.count) / 1e6
                sizes.append(
                    "\(URL(fileURLWithPath: doc.path).lastPathComponent) \(f(mb, 1)) MB \(f(try await extractive([doc.text]) / mb, 3)) s/MB"
                )
            }
            line(
                "  linear      the largest texts, one at a time: \(sizes.joined(separator: "; ")) (the same s/MB as small files: no all-pairs graph)"
            )
        }

        if wanted("memory") {
            let out = scratch.appendingPathComponent("out-corpus")
            let run = try PeakMemory.run(RerunBench.binary, ["run", corpus.path, "--out", out.path, "-q"])
            let report = FileManager.default.contents(atPath: out.appendingPathComponent("report.json").path)
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            let totals = report?["totals"] as? [String: Any] ?? [:]
            line(
                "memory        precis run over the whole corpus (\(f(corpusMegabytes(corpus), 0)) MB of TXT and PDF), extractive default: peak RSS \(f(run.megabytes, 0)) MB (target ≤ 200), \(f(run.seconds, 1)) s, \(totals["ok"] as? Int ?? 0) files ok, \(totals["failed"] as? Int ?? 0) failed, exit \(run.status)"
            )
        }
    }

    /// The size of the corpus's files, in MB.
    static func corpusMegabytes(_ corpus: URL) -> Double {
        var total = 0
        let walk = FileManager.default.enumerator(
            at: corpus.resolvingSymlinksInPath(), includingPropertiesForKeys: [.fileSizeKey])
        while let url = walk?.nextObject() as? URL {
            total += (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return Double(total) / 1e6
    }
}
