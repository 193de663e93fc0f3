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

    /// Chunks the document and grows its tree; every call goes through `executor`.
    func grow(_ document: Document, executor: any CallExecutor) async throws -> Grown {
        let language = Language.detect(Self.sample(of: document))
        let tree = engine.tree(config)
        let chunks = engine.chunks(of: document, tree: tree)
        let result = try await tree.summarize(documentID: document.id, title: document.title, language: language, chunks: chunks,
                                              summarizer: engine.summarizer, executor: executor)
        return Grown(result: result, chunks: chunks.count, language: language)
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
        guard previous.status == .ok, previous.pipelineFingerprint == fingerprint, let output = previous.outputPath else { return false }
        return FileManager.default.fileExists(atPath: outputDirectory.appendingPathComponent(output).path)
    }

    /// The document's opening text, enough to tell its language, without copying the whole of it.
    static func sample(of document: Document, characters: Int = 20_000) -> String {
        var sample = ""
        for part in document.parts where sample.count < characters {
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
        self.init(reader: settings.reader(remote: remote), engine: engine, config: settings.config,
                  fingerprint: settings.config.fingerprint(summarizer: engine.summarizer, budget: engine.budget),
                  outputDirectory: settings.options.outputDirectory, rehash: settings.options.rehash)
    }
}
