import Foundation

/// A corpus of 24 documents of mixed sizes and languages, cut from the samples.
enum BenchCorpus {
    /// Writes the corpus under `directory` and returns it.
    static func make(in directory: URL, samples: URL) throws -> URL {
        let story = try String(contentsOf: samples.appendingPathComponent("en/harrow-point.txt"), encoding: .utf8)
        let chinese = try String(contentsOf: samples.appendingPathComponent("zh/运河边的书店.txt"), encoding: .utf8)
        let english = story.components(separatedBy: "\n\n")
        let zh = chinese.components(separatedBy: "\n\n")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for i in 0..<24 {
            // Sizes from a few paragraphs to the whole story, rotated so no two documents match.
            let source = i % 4 == 3 ? zh : english
            let count = max(3, source.count * ((i % 6) + 1) / 6)
            let start = (i * 7) % source.count
            let paragraphs = (0..<count).map { source[(start + $0) % source.count] }
            let text = "Document \(i)\n\n" + paragraphs.joined(separator: "\n\n")
            try text.write(
                to: directory.appendingPathComponent(String(format: "doc-%02d.txt", i)), atomically: true,
                encoding: .utf8)
        }
        return directory
    }
}
