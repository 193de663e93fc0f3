/// A batch on Moonshot's Batch API: chat requests run within a completion window, at a discount.
public struct Batch: Sendable, Hashable, Decodable {
    /// `validating → in_progress → finalizing → completed`, or one of the other endings.
    public enum Status: String, Sendable, Hashable, Codable {
        case validating
        case inProgress = "in_progress"
        case finalizing, completed, failed, expired, cancelling, cancelled

        /// Whether the batch will change no more: its output and error files are as final as they get.
        public var isFinal: Bool { self == .completed || self == .failed || self == .expired || self == .cancelled }
    }

    public struct RequestCounts: Sendable, Hashable, Codable {
        public var total: Int
        public var completed: Int
        public var failed: Int

        public init(total: Int, completed: Int, failed: Int) {
            self.total = total
            self.completed = completed
            self.failed = failed
        }
    }

    public var id: String
    public var status: Status
    public var inputFileID: String?
    public var outputFileID: String?
    public var errorFileID: String?
    public var completionWindow: String?
    public var requestCounts: RequestCounts?
    public var metadata: [String: String]?
    /// Unix seconds.
    public var createdAt: Int?
    public var expiresAt: Int?

    public init(
        id: String, status: Status, inputFileID: String? = nil, outputFileID: String? = nil, errorFileID: String? = nil,
        completionWindow: String? = nil, requestCounts: RequestCounts? = nil, metadata: [String: String]? = nil,
        createdAt: Int? = nil, expiresAt: Int? = nil
    ) {
        self.id = id
        self.status = status
        self.inputFileID = inputFileID
        self.outputFileID = outputFileID
        self.errorFileID = errorFileID
        self.completionWindow = completionWindow
        self.requestCounts = requestCounts
        self.metadata = metadata
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, status, metadata
        case inputFileID = "input_file_id"
        case outputFileID = "output_file_id"
        case errorFileID = "error_file_id"
        case completionWindow = "completion_window"
        case requestCounts = "request_counts"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    /// Checks what the Batch API documents for a new batch: a completion window from 12h to 7d, and
    /// metadata of at most 16 pairs, keys up to 64 characters and values up to 512.
    public static func validate(completionWindow: String, metadata: [String: String]) throws(ChatAPIError) {
        guard let hours = Self.hours(completionWindow), (12...168).contains(hours) else {
            throw ChatAPIError(
                .invalidRequest, "completion_window '\(completionWindow)' must be 12h to 7d, such as 24h or 3d")
        }
        guard metadata.count <= 16 else {
            throw ChatAPIError(.invalidRequest, "metadata has \(metadata.count) pairs; at most 16")
        }
        if let long = metadata.first(where: { $0.key.count > 64 || $0.value.count > 512 }) {
            throw ChatAPIError(
                .invalidRequest, "metadata '\(long.key.prefix(64))' is over 64 characters of key or 512 of value")
        }
    }

    /// Hours in a window such as `12h` or `3d`.
    public static func hours(_ window: String) -> Int? {
        guard let unit = window.last, let count = Int(window.dropLast()), count > 0 else { return nil }
        switch unit {
        case "h": return count
        case "d": return count * 24
        default: return nil
        }
    }
}
