import Checkpoint
import Chunking
import Foundation
import Ingest
import Summarization

/// Renders the Markdown a run writes: one page per document, the folder's summary and the index.
enum OutputPages {
    /// What a page's front matter says about the summary.
    struct Facts {
        var source: String
        var contentHash: String?
        var pipeline: String
        var models: [String]
        /// Every call of the tree, reused ones included: what the summary cost in all.
        var totals: CallTotals
        var currency: String
        var tokensEstimated = false
        var chunks: Int
        var levels: Int
        var generatedAt = Date()
    }

    /// A document's summary page: YAML front matter, the summary, then (with `output.sections`) the
    /// chapter or section summaries with their pages.
    static func document(
        title: String, summary: String, facts: Facts, sections: [MapReduce.ChapterSummary] = [],
        sectionsHeading: String = "Chapters"
    ) -> String {
        var page = frontMatter(title: title, facts) + "\n# \(title)\n\n\(summary)\n"
        if sections.count >= 2 {
            page += "\n## \(sectionsHeading)\n"
            for (index, section) in sections.enumerated() {
                let heading = section.title.isEmpty ? (index == 0 ? "Opening" : "Part \(index + 1)") : section.title
                let pages =
                    section.pages.map {
                        $0.count == 1 ? " (page \($0.lowerBound))" : " (pages \($0.lowerBound)–\($0.upperBound))"
                    } ?? ""
                page += "\n### \(heading)\(pages)\n\n\(section.text)\n"
            }
        }
        return page
    }

    /// The YAML block that opens a page; `generated_at` is its only line that differs between runs.
    static func frontMatter(title: String, _ facts: Facts) -> String {
        var lines = ["---", "title: \(quoted(title))", "source: \(quoted(facts.source))"]
        if let hash = facts.contentHash { lines.append("content_hash: sha256:\(hash)") }
        lines.append("pipeline: \(quoted(facts.pipeline))")
        lines.append("model: \(quoted(facts.models.isEmpty ? "none" : facts.models.joined(separator: ", ")))")
        lines.append("prompt_tokens: \(facts.totals.promptTokens)")
        lines.append("completion_tokens: \(facts.totals.completionTokens)")
        if facts.totals.reasoningTokens > 0 { lines.append("reasoning_tokens: \(facts.totals.reasoningTokens)") }
        if facts.totals.cachedTokens > 0 { lines.append("cached_tokens: \(facts.totals.cachedTokens)") }
        if facts.tokensEstimated { lines.append("tokens_estimated: true") }
        lines.append("cost: \(RunReport.roundedCost(facts.totals.cost))")
        lines.append("currency: \(quoted(facts.currency))")
        lines.append("calls: \(facts.totals.calls)")
        if facts.totals.batchCalls > 0 { lines.append("batch_calls: \(facts.totals.batchCalls)") }
        lines.append("chunks: \(facts.chunks)")
        lines.append("levels: \(facts.levels)")
        lines.append("generated_at: \(ISO8601DateFormatter().string(from: facts.generatedAt))")
        return (lines + ["---", ""]).joined(separator: "\n")
    }

    /// The index of every file in the run: the folder's summary when there is one, a link per file
    /// with its status and gist or error, then the summaries kept from earlier runs whose inputs are gone.
    static func index(_ files: [RunReport.File], kept: [FileState] = [], corpus: (path: String, gist: String)? = nil)
        -> String
    {
        var out = "# Summaries\n\n"
        if let corpus { out += "**[The whole folder](\(target(corpus.path)))**: \(corpus.gist)\n\n" }
        out += "| File | Status | Summary |\n|---|---|---|\n"
        for file in files {
            let name = label(file.path)
            let link = file.output.map { "[\(name)](\(target($0)))" } ?? name
            let status =
                switch file.status {
                case .ok, .skipped: "ok"
                case .failed: "failed"
                case .pending: "pending"
                }
            let text = file.status == .ok || file.status == .skipped ? (file.gist ?? "") : (file.error ?? "")
            out += "| \(link) | \(status) | \(cell(text)) |\n"
        }
        guard !kept.isEmpty else { return out }
        out +=
            "\n## Kept from earlier runs\n\nTheir inputs are gone; `precis run --prune` removes them.\n\n| File | Summary |\n|---|---|\n"
        for state in kept {
            let name = label(state.path)
            let link = state.outputPath.map { "[\(name)](\(target($0)))" } ?? name
            out += "| \(link) | \(cell(state.gist ?? "")) |\n"
        }
        return out
    }

    /// Where an input's page goes: its path and `.md`, except where that is one of the folder's own
    /// pages (an input named `index` or `corpus-summary` at the top), which would overwrite it.
    ///
    /// A path no filesystem would take (a name of more than 255 bytes with `.md`, or a whole path
    /// too long to open, from a tree deeper than PATH_MAX) goes in `long-paths/`, under a name
    /// made from a hash of the input's path and the start of its own name: one page per input still,
    /// and the index links to it.
    static func pagePath(for input: String) -> String {
        let page = input + ".md"
        let mine = page == OutputLayout.index || page == OutputLayout.corpusPage ? input + ".summary.md" : page
        guard mine.utf8.count > longPage || mine.split(separator: "/").contains(where: { $0.utf8.count > 255 }) else {
            return mine
        }
        let digest = ContentHash.sha256(Data(input.utf8)).prefix(16)
        var leaf = String(input.split(separator: "/").last ?? "")
        while leaf.utf8.count > 120 { leaf.removeLast() }
        return "long-paths/\(digest)-\(leaf).md"
    }

    /// The longest page path kept as it is: the output folder's own path must fit beside it in PATH_MAX.
    static let longPage = 2048

    /// The first sentence of a summary, cut to 160 characters.
    static func gist(of summary: String) -> String {
        let first = SentenceSplitter.sentences(in: summary).first ?? ""
        return first.count > 160 ? String(first.prefix(159)) + "…" : first
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _
            where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A file name as link text in a table cell: Markdown's punctuation escaped, so `]`, `|`, `<`,
    /// `*` or `#` in a name neither end the link nor the cell nor start emphasis.
    static func label(_ text: String) -> String {
        var out = ""
        for character in text.replacingOccurrences(of: "\n", with: " ") {
            if character.isASCII, character.isPunctuation || character.isSymbol, !"/.-,:;'\"".contains(character) {
                out.append("\\")
            }
            out.append(character)
        }
        return out
    }

    /// A relative page path as a link destination: ASCII outside letters, digits and `/._-~`
    /// percent-encoded, so a `%`, `#`, `?`, space, `<` or `>` in a name still leads to its page;
    /// other scripts stay as they are, readable in the raw file.
    static func target(_ path: String) -> String {
        var bytes: [UInt8] = []
        for byte in path.utf8 {
            let plain =
                byte >= 0x80 || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                || (0x61...0x7A).contains(byte)
                || "/._-~".utf8.contains(byte)
            bytes += plain ? [byte] : Array(String(format: "%%%02X", byte).utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
