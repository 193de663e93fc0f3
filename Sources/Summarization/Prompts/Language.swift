import Chunking

/// The language a document is written in, as far as the prompts care.
public enum Language: String, Sendable, Hashable, Codable {
    case english = "en"
    case chinese = "zh"

    /// Chinese when at least a fifth of the letters in (a sample of) `text` are CJK ideographs.
    public static func detect(_ text: some StringProtocol) -> Language {
        var cjk = 0
        var letters = 0
        for scalar in text.unicodeScalars.prefix(20_000) {
            if TermExtractor.isIdeographic(scalar) {
                cjk += 1
                letters += 1
            } else if scalar.isAlphabeticFast {
                letters += 1
            }
        }
        // A CJK character carries about as much as a whole English word, so weigh it up.
        return letters > 0 && cjk * 5 * 4 >= letters ? .chinese : .english
    }

    /// The language's name as prompts write it.
    public var displayName: String {
        switch self {
        case .english: "English"
        case .chinese: "简体中文"
        }
    }
}
