import Chunking
import Foundation
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
        var best = Double.infinity, chunks = 0
        for _ in 0..<rounds {
            let clock = ContinuousClock(), start = clock.now
            chunks = 0
            for text in texts { chunks += chunker.chunks(of: text).count }
            best = min(best, seconds(clock.now - start))
        }
        return (best, chunks)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
