import Foundation

/// What the user asked of the walk and the readers.
public struct IngestOptions: Sendable, Hashable, Codable {
    /// The default size limit: 256 MB.
    public static let defaultMaxFileBytes = 256 * 1024 * 1024

    /// Whether files and folders whose names start with `.` are read.
    public var includeHidden: Bool
    /// Globs a file must match one of (when any are given).
    public var include: [String]
    /// Globs that leave files out.
    public var exclude: [String]
    /// Files larger than this fail with "too large" rather than being read.
    public var maxFileBytes: Int
    /// Tried on PDFs that need a password; not kept in run records.
    public var pdfPassword: String?
    /// When scanned pages are read by OCR; nil leaves it to the pipeline (else `auto`).
    public var ocr: OCRMode?

    enum CodingKeys: String, CodingKey {
        case include, exclude, ocr
        case includeHidden = "hidden"
        case maxFileBytes = "max_file_bytes"
    }

    public init(
        includeHidden: Bool = false, include: [String] = [], exclude: [String] = [],
        maxFileBytes: Int = IngestOptions.defaultMaxFileBytes, pdfPassword: String? = nil,
        ocr: OCRMode? = nil
    ) {
        self.includeHidden = includeHidden
        self.include = include
        self.exclude = exclude
        self.maxFileBytes = maxFileBytes
        self.pdfPassword = pdfPassword
        self.ocr = ocr
    }

    /// A walker with these options, never entering `excluded` folders.
    public func walker(excluding excluded: [URL]) -> InputWalker {
        InputWalker(
            excluding: excluded, includeHidden: includeHidden, include: include.map(Glob.init),
            exclude: exclude.map(Glob.init))
    }

    /// Reads a size such as `256M`, `1G`, `500k` or a number of bytes.
    public static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace().uppercased()
        let units: [(String, Int)] = [
            ("GB", 1 << 30), ("G", 1 << 30), ("MB", 1 << 20), ("M", 1 << 20), ("KB", 1 << 10), ("K", 1 << 10), ("B", 1)
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let value = Double(trimmed.dropLast(suffix.count).trimmingWhitespace()), value > 0 else { return nil }
            return Int(value * Double(factor))
        }
        return Int(trimmed).flatMap { $0 > 0 ? $0 : nil }
    }
}

extension IngestOptions {
    /// The options as JSON, as a run record keeps them.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Options from a run record's JSON; the defaults when there is none.
    public init(json: String?) {
        self = json.flatMap { try? JSONDecoder().decode(IngestOptions.self, from: Data($0.utf8)) } ?? IngestOptions()
    }
}
