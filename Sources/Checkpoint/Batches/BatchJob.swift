import Foundation
import GRDB

/// One remote batch a run submitted, from the moment it decided to until its files were deleted.
///
/// Each step is committed before the next is taken, so a run killed between two of them finds
/// where it was: an `intent` whose upload may exist, an `uploaded` file whose batch may exist (both
/// are found again by ``name``), a `submitted` batch to poll, a `collected` one whose files remain.
public struct BatchJob: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "batch_job"

    /// How far the job has come.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Lines chosen and recorded; the upload may or may not have happened.
        case intent
        /// The input file is uploaded; the batch may or may not have been created.
        case uploaded
        /// The batch exists and has not ended, as last seen.
        case submitted
        /// Its results are in the store; its files may remain on the platform.
        case collected
        /// Its files are deleted; nothing of it is left but the record.
        case done
    }

    /// precis's own name for it: the input file's name and the batch's `metadata.precis_job`.
    public var name: String
    public var model: String
    public var state: State
    public var lines: Int
    public var bytes: Int
    /// The completion window asked for, `24h` and the like.
    public var window: String
    public var fileID: String?
    public var batchID: String?
    /// The platform's status when last polled.
    public var remoteStatus: String?
    public var completed: Int
    public var failed: Int
    public var outputFileID: String?
    public var errorFileID: String?
    public var createdAt: Date
    public var submittedAt: Date?
    public var polledAt: Date?
    public var endedAt: Date?

    public init(name: String, model: String, lines: Int, bytes: Int, window: String, createdAt: Date = Date()) {
        self.name = name
        self.model = model
        self.state = .intent
        self.lines = lines
        self.bytes = bytes
        self.window = window
        self.completed = 0
        self.failed = 0
        self.createdAt = createdAt
    }

    /// Whether the batch may still be running on the platform (or be about to).
    public var inFlight: Bool { state == .intent || state == .uploaded || state == .submitted }
}

/// One request of a ``BatchJob``: the call it answers and what became of it.
public struct BatchLineRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "batch_line"

    public enum State: String, Codable, Sendable {
        /// Sent; no result yet.
        case queued
        /// The platform answered; `answer` holds the response body.
        case answered
        /// The platform refused or failed it; `error` says why. It counts as an attempt.
        case failed
        /// The batch ended (expired, cancelled) before reaching it; it does not count as an attempt.
        case unfinished
    }

    public var job: String
    public var customID: String
    /// The content-addressed key of the call, under which its answer is stored as an online call's would be.
    public var key: String
    /// The document that first wanted the call.
    public var document: String
    public var state: State
    /// The response body of an answered line, as the platform sent it.
    public var answer: Data?
    public var error: String?

    public init(job: String, customID: String, key: String, document: String, state: State = .queued) {
        self.job = job
        self.customID = customID
        self.key = key
        self.document = document
        self.state = state
    }
}

/// A file's text as a remote reader (Kimi's file extraction) gave it, kept by the file's content hash.
public struct ExtractedText: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "extracted_text"

    public var contentHash: String
    public var text: String
    /// What read it, `kimi` and the like.
    public var via: String
    public var createdAt: Date

    public init(contentHash: String, text: String, via: String, createdAt: Date = Date()) {
        self.contentHash = contentHash
        self.text = text
        self.via = via
        self.createdAt = createdAt
    }
}
