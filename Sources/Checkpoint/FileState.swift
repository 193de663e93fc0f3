import Foundation
import GRDB

/// What the last run did with one input file.
public struct FileState: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "file"

    /// The outcome of a file's last run.
    public enum Status: String, Codable, Sendable { case ok, failed }

    /// The document id: the path relative to its input root.
    public var path: String
    public var contentHash: String
    public var size: Int
    public var modified: Date
    /// Fingerprint of every pipeline setting that shapes the output.
    public var pipelineFingerprint: String
    public var status: Status
    public var error: String?
    /// The summary's path relative to the output directory.
    public var outputPath: String?
    public var title: String?
    /// The summary's first sentence, for the index.
    public var gist: String?
    public var chunks: Int
    public var levels: Int
    /// Calls the file's tree holds, made or reused.
    public var calls: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var updatedAt: Date

    public init(
        path: String, contentHash: String, size: Int, modified: Date, pipelineFingerprint: String,
        status: Status, error: String? = nil, outputPath: String? = nil, title: String? = nil, gist: String? = nil,
        chunks: Int = 0, levels: Int = 0, calls: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0,
        updatedAt: Date = Date()
    ) {
        self.path = path
        self.contentHash = contentHash
        self.size = size
        self.modified = modified
        self.pipelineFingerprint = pipelineFingerprint
        self.status = status
        self.error = error
        self.outputPath = outputPath
        self.title = title
        self.gist = gist
        self.chunks = chunks
        self.levels = levels
        self.calls = calls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.updatedAt = updatedAt
    }
}
