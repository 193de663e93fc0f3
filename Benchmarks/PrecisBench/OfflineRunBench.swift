import Foundation

/// The offline default end to end on about 5 MB of the corpus's English documentation, as a user
/// runs it (`precis run DIR`), against sumy's TextRank and LexRank doing the same job on the same
/// files: whole processes, start-up, reading and writing included.
enum OfflineRunBench {
    static func report(corpus: URL, root: URL, scratch: URL, line: (String) -> Void) throws {
        let sample = LocalBench.extractiveSample(LocalBench.texts(in: corpus), megabytes: 5.1)
        let folder = scratch.appendingPathComponent("offline-sample")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Flat names that keep each file's source folder, so no two collide.
        let base = corpus.appendingPathComponent("txt").path + "/"
        var paths: [String] = []
        for doc in sample {
            let name = doc.path.replacingOccurrences(of: base, with: "").replacingOccurrences(of: "/", with: "__")
            let copy = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(atPath: doc.path, toPath: copy.path)
            paths.append(copy.path)
        }
        let megabytes = Double(sample.reduce(0) { $0 + $1.text.utf8.count }) / 1e6
        let (best, status) = try PaperBench.bestRun(of: folder, outputs: scratch.appendingPathComponent("offline-out"))
        var versus = "no anchor: run `make bench`, which installs sumy in .build/venv-bench"
        if let python = LocalBench.python {
            let listing = scratch.appendingPathComponent("offline-sample.txt")
            try paths.joined(separator: "\n").write(to: listing, atomically: true, encoding: .utf8)
            var anchors: [String] = []
            for method in ["textrank", "lexrank"] {
                let run = try IngestBench.time(
                    python,
                    [
                        root.appendingPathComponent("scripts/bench_anchors.py").path, "\(method)-run",
                        listing.path, scratch.appendingPathComponent("offline-\(method)").path
                    ])
                let name = method == "textrank" ? "TextRank" : "LexRank"
                anchors.append(
                    run.status == 0
                        ? "sumy \(name) \(f(run.seconds, 1)) s = \(f(run.seconds / best, 1))×"
                        : "sumy \(name) failed (exit \(run.status))")
            }
            versus = anchors.joined(separator: ", ") + " (target ≥ 20× TextRank)"
        }
        line(
            "offline run   precis run, offline default, \(sample.count) English corpus texts (\(f(megabytes, 1)) MB, every few in path order), "
                + "whole process: \(f(best, 2)) s = \(f(best / megabytes, 3)) s/MB (best of 3), exit \(status); vs \(versus)"
        )
    }
}
