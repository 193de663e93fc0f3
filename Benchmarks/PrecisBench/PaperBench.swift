import Foundation

/// The offline default end to end on aclsum's papers, as a user runs it, against sumy's LexRank
/// doing the same job on the same files: whole processes, start-up, reading and writing included.
enum PaperBench {
    /// The paper folder `make eval` builds, built here with its Python when missing.
    static func papers(root: URL) throws -> URL? {
        let folder = root.appendingPathComponent(".build/eval/papers")
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("abstracts.json").path) {
            return folder
        }
        let python =
            ProcessInfo.processInfo.environment["EVAL_PYTHON"]
            ?? root.appendingPathComponent(".build/venv-eval/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
        _ = try IngestBench.time(
            python, [root.appendingPathComponent("scripts/eval_quality.py").path, "papers", folder.path])
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("abstracts.json").path)
            ? folder : nil
    }

    static func report(root: URL, scratch: URL, line: (String) -> Void) throws {
        guard let papers = try papers(root: root) else {
            line(
                "papers        skipped: no paper folder; `make eval` (or `make eval-venv`) installs aclsum and builds it"
            )
            return
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: papers.path).filter { $0.hasSuffix(".txt") }
            .sorted()
        let megabytes =
            Double(
                files.reduce(0) {
                    $0
                        + ((try? FileManager.default.attributesOfItem(atPath: papers.appendingPathComponent($1).path)[
                            .size] as? Int) ?? 0)
                }) / 1e6
        let (best, status) = try bestRun(of: papers, outputs: scratch.appendingPathComponent("papers-out"))
        var versus = "no anchor: run `make bench`, which installs sumy in .build/venv-bench"
        if let python = LocalBench.python {
            let listing = scratch.appendingPathComponent("papers.txt")
            try files.map { papers.appendingPathComponent($0).path }.joined(separator: "\n").write(
                to: listing, atomically: true, encoding: .utf8)
            let anchor = try IngestBench.time(
                python,
                [
                    root.appendingPathComponent("scripts/bench_anchors.py").path, "lexrank-run", listing.path,
                    scratch.appendingPathComponent("papers-sumy").path
                ])
            versus =
                anchor.status == 0
                ? "sumy LexRank (python process, 10 sentences a paper) \(f(anchor.seconds, 1)) s = \(f(anchor.seconds / best, 0))× (target ≥ 20×)"
                : "sumy LexRank failed (exit \(anchor.status))"
        }
        line(
            "papers        precis run, offline default, \(files.count) aclsum papers (\(f(megabytes, 1)) MB), whole process: \(f(best, 2)) s (best of 3), exit \(status); vs \(versus)"
        )
    }

    /// The fastest of three whole `precis run` processes over `folder` (offline default), each
    /// into a fresh output folder, and the last one's exit status.
    static func bestRun(of folder: URL, outputs: URL) throws -> (seconds: Double, status: Int32) {
        var best = Double.infinity
        var status: Int32 = 0
        for round in 0..<3 {
            let out = outputs.appendingPathExtension("\(round)")
            let run = try IngestBench.time(RerunBench.binary, ["run", folder.path, "--out", out.path, "-q"])
            best = min(best, run.seconds)
            status = run.status
        }
        return (best, status)
    }
}
