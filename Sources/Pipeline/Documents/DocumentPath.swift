import Checkpoint
import Chunking
import Foundation
import Ingest
import Summarization

/// One document's way through a run or an estimate: skip check → read → load → chunk → tree,
/// over whichever executor it is given (the store and the pool for a run, a plan for an estimate).
struct DocumentPath: Sendable {
    let reader: DocumentReader
    let engine: Engine
    let config: PipelineConfig
    /// The pipeline fingerprint a finished file was stored with; a file is redone when it changes.
    let fingerprint: String
    let outputDirectory: URL
    /// Whether unchanged size and mtime must be confirmed by the content hash.
    let rehash: Bool

    /// What opening a file found.
    enum Opening: Sendable {
        /// The last good run left this file done with this pipeline and its page in place.
        /// `touched` is set when the content is the same but the size or mtime moved.
        case unchanged(FileState, touched: Bool)
        /// The file must be summarized: its bytes, read once.
        case changed(data: Data, hash: String)
        /// A text file too large to hold must be summarized, a segment at a time.
        case segmented(TextSegments, hash: String)
    }

    /// A document's tree, grown.
    struct Grown: Sendable {
        var result: MapReduce.Result
        var chunks: Int
        var language: Language
    }

    /// Decides whether `file` needs summarizing: by size and mtime first, then by content hash.
    func open(_ file: InputFile, order: Int, previous: FileState?) async throws -> Opening {
        if !rehash, let previous, Self.statUnchanged(file, previous), outputCurrent(previous) {
            return .unchanged(previous, touched: false)
        }
        if let (segments, hash) = try await reader.segments(file, order: order) {
            if let previous, previous.contentHash == hash, outputCurrent(previous) {
                return .unchanged(previous, touched: !Self.statUnchanged(file, previous))
            }
            return .segmented(segments, hash: hash)
        }
        let (data, hash) = try await reader.read(file, order: order)
        if let previous, previous.contentHash == hash, outputCurrent(previous) {
            return .unchanged(previous, touched: !Self.statUnchanged(file, previous))
        }
        return .changed(data: data, hash: hash)
    }

    /// The document in the bytes `open` read.
    func load(_ file: InputFile, data: Data, hash: String, order: Int) async throws -> Document {
        try await reader.load(file, data: data, hash: hash, order: order)
    }

    /// Chunks the document and grows its tree; every call goes through `executor`. The document's
    /// text is dropped once chunked, so the tree holds a large file's text once, in its chunks.
    /// - Parameter alongside: another strategy and its executor, grown on the same document, for an
    ///   estimate that prices both.
    func grow(
        _ document: inout Document, executor: any CallExecutor,
        alongside: (strategy: any DocumentStrategy, executor: any CallExecutor)? = nil
    ) async throws -> Grown {
        let language = Language.detect(Self.sample(of: document))
        let tree = engine.strategy(config)
        let chunks = engine.chunks(of: document, tree: tree)
        // The other strategy cuts its own chunks (extract-abstract reads small pieces).
        let otherChunks = alongside.map { engine.chunks(of: document, tree: $0.strategy) }
        document.parts.removeAll()
        let result = try await tree.summarize(
            documentID: document.id, title: document.title, language: language, chunks: chunks,
            summarizer: engine.summarizer, executor: executor)
        if let alongside, let otherChunks {
            // The other strategy is only priced: where its tree would fail, the file still has the pipeline's own.
            do {
                _ = try await alongside.strategy.summarize(
                    documentID: document.id, title: document.title, language: language,
                    chunks: otherChunks, summarizer: engine.summarizer, executor: alongside.executor)
            } catch {}
        }
        return Grown(result: result, chunks: chunks.count, language: language)
    }

    /// Grows the tree of a text file too large to hold, a segment at a time: each is chunked and
    /// mapped, then only its summaries are kept. The document returned holds no text. Such a file
    /// always takes map-reduce: an extract would need all its sentences at once.
    func grow(_ file: InputFile, segments: TextSegments, hash: String, order: Int, executor: any CallExecutor)
        async throws -> (Document, Grown)
    {
        let reader = self.reader
        guard let first = try await reader.next(segments, order: order) else {
            throw IngestError(.noText, path: file.id, "the file holds no text")
        }
        let title = segments.title ?? Self.fileTitle(file.id)
        let language = Language.detect(Self.sample(of: first))
        let tree = engine.tree(config)
        let chunker = Chunker(budget: tree.chunkBudget(for: engine.summarizer), estimator: engine.estimator)
        var waiting: [Document.Part]? = first
        var chunks = 0
        let result = try await tree.summarize(
            documentID: file.id, title: title, language: language,
            segments: {
                var parts = waiting.take()
                if parts == nil { parts = try await reader.next(segments, order: order) }
                guard let parts else { return nil }
                let cut = chunker.chunks(
                    of: parts.map { Section(text: $0.text, page: $0.page, headingPath: $0.headingPath) })
                chunks += cut.count
                return cut
            }, summarizer: engine.summarizer, executor: executor)
        let document = Document(
            id: file.id, url: file.url, format: .text, contentHash: hash, byteCount: file.size, title: title,
            parts: [], encoding: "utf-8", warnings: segments.warning.map { [$0] } ?? [])
        return (document, Grown(result: result, chunks: chunks, language: language))
    }

    /// A file's name without its extension, for a document with no title of its own.
    static func fileTitle(_ id: String) -> String {
        let name = id.split(separator: "/").last.map(String.init) ?? id
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// Whether the file's size and mtime are as recorded, and recorded late enough to be trusted.
    ///
    /// A file written in the same instant as it was read could change again without its mtime moving
    /// (the "racily clean" case git knows), so a state recorded within two seconds of the file's mtime
    /// is confirmed by its hash; the refreshed state then takes the fast path.
    static func statUnchanged(_ file: InputFile, _ previous: FileState) -> Bool {
        previous.size == file.size
            && abs(previous.modified.timeIntervalSince(file.modified)) < 0.001
            && previous.updatedAt.timeIntervalSince(file.modified) > 2
    }

    /// Whether the last run left this file done with the same pipeline, its page still in place.
    func outputCurrent(_ previous: FileState) -> Bool {
        guard previous.status == .ok, previous.pipelineFingerprint == fingerprint, let output = previous.outputPath
        else { return false }
        return FileManager.default.fileExists(atPath: outputDirectory.appendingPathComponent(output).path)
    }

    /// The document's opening text, enough to tell its language, without copying the whole of it.
    static func sample(of document: Document, characters: Int = 20_000) -> String {
        sample(of: document.parts, characters: characters)
    }

    /// The opening text of `parts`, enough to tell its language.
    static func sample(of parts: [Document.Part], characters: Int = 20_000) -> String {
        var sample = ""
        for part in parts where sample.count < characters {
            sample += part.text.prefix(characters - sample.count)
            sample += "\n"
        }
        return sample
    }
}

extension DocumentPath {
    /// The path a run or an estimate walks under `settings`, on `engine`: the one place both
    /// get their reader and the pipeline fingerprint files are stored with.
    init(settings: RunSettings, engine: Engine, remote: RemoteReader? = nil) {
        self.init(
            reader: settings.reader(remote: remote), engine: engine, config: settings.config,
            fingerprint: settings.config.fingerprint(summarizer: engine.summarizer, budget: engine.budget),
            outputDirectory: settings.options.outputDirectory, rehash: settings.options.rehash)
    }
}
