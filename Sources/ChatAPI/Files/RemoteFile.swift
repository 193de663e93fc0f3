/// A file on the server's Files API: a batch's input or output, or a document sent for extraction.
public struct RemoteFile: Sendable, Hashable, Decodable {
    /// What a file is for: `batch` input JSONL, or `file-extract` for the server to read.
    public enum Purpose: String, Sendable, Hashable, Codable {
        case batch
        case fileExtract = "file-extract"
        /// A batch's output or error file, written by the server.
        case batchOutput = "batch_output"
    }

    public var id: String
    public var filename: String?
    public var purpose: String?
    public var bytes: Int?
    /// Unix seconds.
    public var createdAt: Int?

    public init(id: String, filename: String? = nil, purpose: String? = nil, bytes: Int? = nil, createdAt: Int? = nil) {
        self.id = id
        self.filename = filename
        self.purpose = purpose
        self.bytes = bytes
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, filename, purpose, bytes
        case createdAt = "created_at"
    }

    /// The most a file may hold, by Moonshot's Files API: 100 MB.
    public static let maxBytes = 100 * 1024 * 1024
}
