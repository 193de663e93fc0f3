import Foundation
import Ingest

/// Reads and loads input files on the ingest pool, for a run, an estimate and `precis extract` alike.
struct DocumentReader: Sendable {
    let loader: DocumentLoader
    /// Where reading and extraction run, off the cooperative pool.
    let pool: IngestPool
    /// Kimi's file extraction, for `formats: kimi` and `ocr: kimi`; nil without a key.
    var remote: RemoteReader? = nil

    /// The file's bytes and content hash; `order` ranks it in the pool (earlier documents first).
    func read(_ file: InputFile, order: Int) async throws -> (data: Data, hash: String) {
        let loader = self.loader
        return try await pool.run(order: order) { () throws(IngestError) in try loader.read(file) }
    }

    /// A large text file's content hash and its segments, or nil when it is read whole.
    func segments(_ file: InputFile, order: Int) async throws -> (segments: TextSegments, hash: String)? {
        guard file.size > TextSegments.threshold, (file.format ?? .text) == .text else { return nil }
        let loader = self.loader
        let hash = try await pool.run(order: order) { () throws(IngestError) in try loader.streamedHash(file) }
        guard let segments = try TextSegments(file, hash: hash, clean: loader.clean) else { return nil }
        return (segments, hash)
    }

    /// The next segment's parts, read on the ingest pool.
    func next(_ segments: TextSegments, order: Int) async throws -> [Document.Part]? {
        try await pool.run(order: order) { () throws(IngestError) in try segments.next() }
    }

    /// The document in bytes already read: locally, or through Kimi what only Kimi reads.
    func load(_ file: InputFile, data: Data, hash: String, order: Int) async throws -> Document {
        let loader = self.loader
        if let remote, file.format == .office {
            return try loader.document(
                file, text: try await remote.text(of: file, data: data, hash: hash), hash: hash,
                byteCount: data.count, format: .office)
        }
        let local: Document
        do {
            local = try await pool.run(order: order) { () throws(IngestError) in
                try loader.load(file, data: data, hash: hash)
            }
        } catch let error as IngestError
            where error.code == .noText && file.format == .pdf && loader.ocr == .kimi && remote != nil
        {
            return try await scanned(file, data: data, hash: hash)
        }
        // Under `ocr: kimi`, a PDF with scanned pages is read whole by Kimi, which OCRs them.
        if file.format == .pdf, loader.ocr == .kimi, remote != nil,
            local.unreadPages > 0
        {
            return try await scanned(file, data: data, hash: hash)
        }
        return local
    }

    private func scanned(_ file: InputFile, data: Data, hash: String) async throws -> Document {
        let text = try await remote!.text(of: file, data: data, hash: hash)
        return try loader.document(file, text: text, hash: hash, byteCount: data.count, format: .pdf)
    }

    /// The document, read and loaded in one step; `hashing: false` skips its content hash.
    func load(_ file: InputFile, order: Int, hashing: Bool = true) async throws -> Document {
        let loader = self.loader
        return try await pool.run(order: order) { () throws(IngestError) in try loader.load(file, hashing: hashing) }
    }
}
