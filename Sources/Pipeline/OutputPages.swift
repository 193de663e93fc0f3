import Checkpoint
import Chunking
import Summarization
import Foundation

/// Renders the Markdown a run writes: one page per document and the index.
enum OutputPages {
    /// A document's summary page: the summary, then each chapter's own summary when the document was
    /// summarized chapter by chapter. It holds nothing that changes between identical runs.
    static func document(title: String, summary: String, id: String, chunks: Int, levels: Int, pipeline: String,
                         chapters: [MapReduce.ChapterSummary] = []) -> String {
        var page = "# \(title)\n\n\(summary)\n"
        if chapters.count >= 2 {
            page += "\n## Chapters\n"
            for chapter in chapters {
                let heading = chapter.title.isEmpty ? "Opening" : chapter.title
                let pages = chapter.pages.map { $0.count == 1 ? " (page \($0.lowerBound))" : " (pages \($0.lowerBound)–\($0.upperBound))" } ?? ""
                page += "\n### \(heading)\(pages)\n\n\(chapter.text)\n"
            }
        }
        page += "\n---\n*\(id) · \(chunks) chunk\(chunks == 1 ? "" : "s") · \(levels) level\(levels == 1 ? "" : "s") · pipeline \(pipeline)*\n"
        return page
    }

    /// The index of every file in the run: a link, the status, and the gist or the error; then the
    /// summaries kept from earlier runs whose inputs are gone.
    static func index(_ files: [RunReport.File], kept: [FileState] = []) -> String {
        var out = "# Summaries\n\n| File | Status | Summary |\n|---|---|---|\n"
        for file in files {
            let name = cell(file.path)
            let link = file.output.map { "[\(name)](<\($0)>)" } ?? name
            let status = switch file.status {
            case .ok, .skipped: "ok"
            case .failed: "failed"
            case .pending: "pending"
            }
            let text = file.status == .ok || file.status == .skipped ? (file.gist ?? "") : (file.error ?? "")
            out += "| \(link) | \(status) | \(cell(text)) |\n"
        }
        guard !kept.isEmpty else { return out }
        out += "\n## Kept from earlier runs\n\nTheir inputs are gone; `precis run --prune` removes them.\n\n| File | Summary |\n|---|---|\n"
        for state in kept {
            let name = cell(state.path)
            let link = state.outputPath.map { "[\(name)](<\($0)>)" } ?? name
            out += "| \(link) | \(cell(state.gist ?? "")) |\n"
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
