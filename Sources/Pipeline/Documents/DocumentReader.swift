import Foundation
import Ingest

/// Reads and loads input files on the ingest pool, for a run, an estimate and `precis extract` alike.
struct DocumentReader: Sendable {
    let loader: DocumentLoader
    /// Where reading and extraction run, off the cooperative pool.
    let pool: IngestPool

    /// The file's bytes and content hash; `order` ranks it in the pool (earlier documents first).
    func read(_ file: InputFile, order: Int) async throws -> (data: Data, hash: String) {
        let loader = self.loader
        return try await pool.run(order: order) { () throws(IngestError) in try loader.read(file) }
    }

    /// The document in bytes already read.
    func load(_ file: InputFile, data: Data, hash: String, order: Int) async throws -> Document {
        let loader = self.loader
        return try await pool.run(order: order) { () throws(IngestError) in try loader.load(file, data: data, hash: hash) }
    }

    /// The document, read and loaded in one step.
    func load(_ file: InputFile, order: Int) async throws -> Document {
        let loader = self.loader
        return try await pool.run(order: order) { () throws(IngestError) in try loader.load(file) }
    }
}
