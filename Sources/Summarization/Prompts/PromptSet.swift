/// The prompts of an LLM summarizer: a system message and a user template per stage.
///
/// Templates may use `{text}`, `{title}`, `{heading}`, `{language}`, `{context}` and `{length}`; a
/// template without `{context}` gets the carried context just before `{text}`. `{length}` states
/// the answer's room in words (characters in Chinese), so a model asked for what fits its limit
/// is not cut there.
public struct PromptSet: Sendable, Hashable, Codable {
    public var system: String
    public var map: String
    public var reduce: String
    public var final: String

    public init(system: String, map: String, reduce: String, final: String) {
        self.system = system
        self.map = map
        self.reduce = reduce
        self.final = final
    }

    /// The template for `stage`.
    public func template(for stage: Stage) -> String {
        switch stage {
        case .map: map
        case .reduce: reduce
        case .final: final
        }
    }

    /// The built-in prompts for a language.
    public static func builtIn(_ language: Language) -> PromptSet {
        switch language {
        case .english: english
        case .chinese: chinese
        }
    }

    public static let english = PromptSet(
        system:
            "You are a careful summarizer. You write faithful, concise summaries in {language}: only the summary, with no preamble, no comment on the text and nothing the text does not say.",
        map:
            "Summarize this part of the document \"{title}\"{heading}{length}. Keep the key facts, names, numbers, decisions and conclusions, in order. Write plain prose.\n\n{text}",
        reduce:
            "These are summaries of consecutive parts of the document \"{title}\". Merge them into one coherent summary{length} that keeps the key facts, names, numbers and conclusions, in order.\n\n{text}",
        final:
            "Write the summary of the document \"{title}\" from the text below{length}. Open with one sentence that gives the gist, then the key points in order.\n\n{text}"
    )

    public static let chinese = PromptSet(
        system: "你是一名严谨的摘要助手。请用{language}写忠实、简洁的摘要：只写摘要，不加开场白，不评论原文，不写原文没有的内容。",
        map: "请总结文档《{title}》的以下部分{heading}{length}。按顺序保留关键事实、人物、数字、决定和结论，用连贯的段落写出。\n\n{text}",
        reduce: "以下是文档《{title}》中连续几部分的摘要。请把它们合并成一篇连贯的摘要{length}，按顺序保留关键事实、人物、数字和结论。\n\n{text}",
        final: "请根据以下内容写出文档《{title}》的摘要{length}：先用一句话概括主旨，再按顺序写出要点。\n\n{text}"
    )

    /// Fills a template's placeholders; the text and the carried context are never scanned, so text holding braces stays as it is.
    /// - Parameter length: the answer's room in tokens, which `{length}` states; nil states none.
    public static func render(_ template: String, text: String, context: SummaryContext, length: Int? = nil) -> String {
        let heading: String
        if context.headingPath.isEmpty {
            heading = ""
        } else {
            let path = context.headingPath.joined(separator: " › ")
            heading = context.language == .chinese ? "（章节：\(path)）" : " (section: \(path))"
        }
        let carried = context.preceding.map { carriedBlock($0, language: context.language) } ?? ""
        let values = [
            "title": context.title, "heading": heading, "language": context.language.displayName, "context": carried,
            "text": template.contains("{context}") || carried.isEmpty ? text : carried + "\n\n" + text,
            "length": length.map { lengthPhrase(tokens: $0, language: context.language) } ?? ""
        ]
        // One pass over the template: no filled value is ever scanned for placeholders.
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] {
                out += value
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// The room of an answer of `tokens` tokens, as a length to write to: about 0.6 words a token
    /// in English (a token is 0.75 words), a character a token in Chinese (a token is 1.5 to 2),
    /// so an answer that keeps to it ends before its limit.
    static func lengthPhrase(tokens: Int, language: Language) -> String {
        switch language {
        case .english: " in at most \(max(10, tokens * 6 / 100 * 10)) words"
        case .chinese: "，不超过\(max(20, tokens / 10 * 10))字"
        }
    }

    /// The carried text, framed so the model reads it for continuity and does not summarize it.
    static func carriedBlock(_ carried: SummaryContext.Carried, language: Language) -> String {
        switch (carried.kind, language) {
        case (.tail, .english):
            "[Context: the end of the preceding part, for continuity only; do not summarize it]\n\(carried.text)\n[End of context]"
        case (.summary, .english):
            "[Context: a summary of the preceding part; do not repeat it]\n\(carried.text)\n[End of context]"
        case (.tail, .chinese): "【上下文：前一部分的结尾，仅供衔接，请勿总结】\n\(carried.text)\n【上下文结束】"
        case (.summary, .chinese): "【上下文：前一部分的摘要，请勿重复】\n\(carried.text)\n【上下文结束】"
        }
    }
}
