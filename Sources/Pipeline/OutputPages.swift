import Chunking
import Foundation

/// Renders the Markdown a run writes: one page per document and the index.
enum OutputPages {
    /// A document's summary page; it holds nothing that changes between identical runs.
    static func document(title: String, summary: String, id: String, chunks: Int, levels: Int, pipeline: String) -> String {
        """
        # \(title)

        \(summary)

        ---
        *\(id) · \(chunks) chunk\(chunks == 1 ? "" : "s") · \(levels) level\(levels == 1 ? "" : "s") · pipeline \(pipeline)*

        """
    }

    /// The index of every file in the run: a link, the status, and the gist or the error.
    static func index(_ files: [RunReport.File]) -> String {
        var out = "# Summaries\n\n| File | Status | Summary |\n|---|---|---|\n"
        for file in files {
            let name = cell(file.path)
            let link = file.output.map { "[\(name)](<\($0)>)" } ?? name
            let status = file.status == .failed ? "failed" : "ok"
            let text = file.status == .failed ? (file.error ?? "") : (file.gist ?? "")
            out += "| \(link) | \(status) | \(cell(text)) |\n"
        }
        return out
    }

    /// The first sentence of a summary, cut to 160 characters.
    static func gist(of summary: String) -> String {
        let first = SentenceSplitter.sentences(in: summary).first ?? ""
        return first.count > 160 ? String(first.prefix(159)) + "…" : first
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
