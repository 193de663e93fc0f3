import Chunking
import Foundation
import Ingest

/// `precis extract`: the cleaned text precis would chunk, file by file, with no store and no calls.
public struct Extraction: Sendable {
    /// One file's text and what was found in it.
    public struct Item: Sendable, Codable {
        public struct Part: Sendable, Codable {
            public var page: Int?
            public var headingPath: [String]
            public var text: String
            enum CodingKeys: String, CodingKey {
                case page, text
                case headingPath = "heading_path"
            }
        }

        public struct Chapter: Sendable, Codable {
            public var title: String
            public var page: Int?
        }

        public var path: String
        public var status: String
        public var error: String?
        public var format: String?
        public var title: String?
        public var encoding: String?
        public var pages: Int?
        public var chapters: [Chapter] = []
        public var warnings: [String] = []
        public var characters = 0
        /// The token estimate of the text, as budgets count it.
        public var tokens = 0
        public var parts: [Part] = []

        /// The text as one string: parts separated by blank lines.
        public var text: String { parts.map(\.text).joined(separator: "\n\n") }
    }

    public var inputs: [String]
    public var options: IngestOptions
    public var jobs: Int
    /// Skip ``TextCleaner``: the text as the decoder or poppler gave it.
    public var raw: Bool

    public init(
        inputs: [String], options: IngestOptions = IngestOptions(),
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, raw: Bool = false
    ) {
        self.inputs = inputs
        self.options = options
        self.jobs = jobs
        self.raw = raw
    }

    /// Extracts every file, `jobs` at once, handing each result to `emit` in input order.
    /// - Returns: how many files were read and how many failed.
    /// - Throws: ``PipelineError`` `.usage` when an input does not exist.
    public func run(emit: @escaping @Sendable (Item) -> Void) async throws(PipelineError) -> (ok: Int, failed: Int) {
        let files: [InputFile]
        do { files = try options.walker(excluding: []).files(in: inputs) } catch {
            throw PipelineError(.usage, error.description)
        }
        let loader = DocumentLoader(
            maxBytes: options.maxFileBytes, pdfPassword: options.pdfPassword, clean: !raw, ocr: options.ocr ?? .auto)
        let reader = DocumentReader(loader: loader, pool: IngestPool(jobs: jobs))
        return await withTaskGroup(of: (Int, Item).self) { group in
            var next = 0
            var emitted = 0
            var ok = 0
            var failed = 0
            var ready: [Int: Item] = [:]
            func start() {
                let index = next
                let file = files[index]
                group.addTask { (index, await Self.extract(file, order: index, reader: reader)) }
                next += 1
            }
            // Enough files open to keep every worker busy, few enough to bound memory.
            while next < min(files.count, reader.pool.jobs * 2) { start() }
            for await (index, item) in group {
                ready[index] = item
                while let item = ready.removeValue(forKey: emitted) {
                    emit(item)
                    if item.status == "ok" { ok += 1 } else { failed += 1 }
                    emitted += 1
                }
                if next < files.count { start() }
            }
            return (ok, failed)
        }
    }

    static func extract(_ file: InputFile, order: Int, reader: DocumentReader) async -> Item {
        do {
            // Nothing is stored, so no content hash is needed.
            let document = try await reader.load(file, order: order, hashing: false)
            var item = Item(
                path: file.id, status: "ok", format: document.format.rawValue, title: document.title,
                encoding: document.encoding, pages: document.pageCount, warnings: document.warnings)
            let estimator = TokenEstimator()
            var lastChapter: String?
            for part in document.parts {
                item.parts.append(.init(page: part.page, headingPath: part.headingPath, text: part.text))
                item.characters += part.text.unicodeScalars.count
                item.tokens += estimator.estimate(part.text)
                if let chapter = part.headingPath.first, chapter != lastChapter {
                    item.chapters.append(.init(title: chapter, page: part.page))
                    lastChapter = chapter
                }
            }
            return item
        } catch {
            return Item(path: file.id, status: "failed", error: FileJob.reason(error), format: file.format?.rawValue)
        }
    }
}
