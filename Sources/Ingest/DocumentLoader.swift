import Foundation

/// Reads an ``InputFile`` into a ``Document``: bytes, hash, text and structure.
public struct DocumentLoader: Sendable {
    /// Files larger than this are refused rather than read into memory.
    public var maxBytes: Int

    public init(maxBytes: Int = 256 * 1024 * 1024) {
        self.maxBytes = maxBytes
    }

    /// The bytes of `file` and their content hash, checked against the size limit.
    public func read(_ file: InputFile) throws(IngestError) -> (data: Data, hash: String) {
        guard file.size <= maxBytes else {
            throw IngestError(.tooLarge, path: file.id, "file is \(file.size) bytes, over the \(maxBytes)-byte limit")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file.url, options: .mappedIfSafe)
        } catch {
            throw IngestError(.unreadable, path: file.id, "cannot read the file: \(error.localizedDescription)")
        }
        return (data, ContentHash.sha256(data))
    }

    /// The document in `file`, from bytes already read.
    public func load(_ file: InputFile, data: Data, hash: String) throws(IngestError) -> Document {
        switch file.format ?? .text {
        case .text:
            let decoded = try TextDecoder.decode(data, path: file.id)
            guard decoded.text.contains(where: { !$0.isWhitespace }) else {
                throw IngestError(.noText, path: file.id, "the file holds no text")
            }
            let title = TextStructure.title(of: decoded.text) ?? fileTitle(file)
            return Document(
                id: file.id, url: file.url, format: .text, contentHash: hash, byteCount: data.count, title: title,
                parts: TextStructure.parts(of: decoded.text), encoding: decoded.encoding,
                warnings: decoded.warning.map { [$0] } ?? []
            )
        case .pdf:
            let contents = try PDFReader.read(file.url, path: file.id)
            let parts = contents.pages.enumerated().compactMap { index, text in
                text.contains(where: { !$0.isWhitespace }) ? Document.Part(text: text, page: index + 1) : nil
            }
            guard !parts.isEmpty else {
                throw IngestError(.noText, path: file.id, contents.pages.isEmpty ? "the PDF has no pages" : "no text layer in \(contents.pages.count) page(s) (scanned PDF?)")
            }
            let title = contents.title ?? parts.first.flatMap { TextStructure.title(of: $0.text) } ?? fileTitle(file)
            return Document(id: file.id, url: file.url, format: .pdf, contentHash: hash, byteCount: data.count, title: title, parts: parts)
        }
    }

    /// Reads and loads `file` in one step.
    public func load(_ file: InputFile) throws(IngestError) -> Document {
        let (data, hash) = try read(file)
        return try load(file, data: data, hash: hash)
    }

    private func fileTitle(_ file: InputFile) -> String {
        file.url.deletingPathExtension().lastPathComponent
    }
}
