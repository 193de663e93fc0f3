import Chunking
import Foundation
import Pipeline
import Summarization

/// The local stages on the corpus text: the chunker's MB/s and the extractive summarizer's s/MB.
enum LocalBench {
    /// The corpus's text files (English and Chinese), read as UTF-8 as the Python anchors read them.
    static func texts(in corpus: URL) -> [(path: String, text: String)] {
        var out: [(String, String)] = []
        for folder in ["txt", "zh/txt"] {
            let root = corpus.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            var paths: [String] = []
            for case let url as URL in walk where url.pathExtension == "txt" { paths.append(url.path) }
            for path in paths.sorted() {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                out.append((path, String(decoding: data, as: UTF8.self)))
            }
        }
        return out
    }

    /// Seconds to chunk every text with `budget`-token chunks; best of `rounds`.
    static func chunk(_ texts: [String], budget: Int, rounds: Int = 3) -> (seconds: Double, chunks: Int) {
        let chunker = Chunker(budget: budget)
        var best = Double.infinity
        var chunks = 0
        for _ in 0..<rounds {
            let clock = ContinuousClock()
            let start = clock.now
            chunks = 0
            for text in texts { chunks += chunker.chunks(of: text).count }
            best = min(best, seconds(clock.now - start))
        }
        return (best, chunks)
    }

    /// English texts of 8–150 KB, every few files in path order up to about `megabytes`: sizes
    /// sumy's all-pairs graph can rank in minutes.
    static func extractiveSample(_ texts: [(path: String, text: String)], megabytes: Double) -> [(
        path: String, text: String
    )] {
        let english = texts.filter { !$0.path.contains("/zh/") && (8_000...150_000).contains($0.text.utf8.count) }
        let total = Double(english.reduce(0) { $0 + $1.text.utf8.count })
        let step = max(1, Int((total / (megabytes * 1e6)).rounded(.down)))
        return stride(from: 0, to: english.count, by: step).map { english[$0] }
    }

    /// Seconds for the offline default to summarize each text whole: chunk, map, reduce, final,
    /// with the default pipeline's chunk budget.
    static func extractive(_ texts: [String]) async throws -> Double {
        let summarizer = ExtractiveSummarizer()
        let tree = MapReduce(budget: PipelineConfig.Chunking.extractiveDefault, maxLevels: 12)
        let chunker = Chunker(budget: tree.chunkBudget(for: summarizer))
        let clock = ContinuousClock()
        let start = clock.now
        for (i, text) in texts.enumerated() {
            _ = try await tree.summarize(
                documentID: "bench-\(i)", title: "", chunks: chunker.chunks(of: text),
                summarizer: summarizer, executor: Direct())
        }
        return seconds(clock.now - start)
    }

    /// Makes every call at once, with no store: the summarizer's own time.
    struct Direct: CallExecutor {
        func execute(_ call: SummaryCall, summarizer: any Summarizer) async throws -> CallOutcome {
            CallOutcome(
                summary: try await summarizer.summarize(call.inputs, stage: call.stage, context: call.context),
                reused: false)
        }
    }

}
