import Foundation
import GRDB

extension CheckpointStore {
    /// What SQLite says when a file is not a whole database.
    static let damage: [ResultCode] = [.SQLITE_CORRUPT, .SQLITE_NOTADB]

    static func damaged(_ url: URL, cause: DatabaseError) -> CheckpointError {
        CheckpointError(
            .damaged,
            "the checkpoint store at \(url.path) is damaged (\(cause.message ?? "\(cause.resultCode)")): "
                + "restore it from a backup, or move it aside (mv \(url.path) \(url.path).damaged) to start over, paying again for every call",
            cause: cause)
    }

    /// A store of zero bytes with no write-ahead log beside it was emptied (a truncation, a
    /// restore gone wrong); SQLite would take it for a new one and every call would be paid again.
    static func refuseEmptied(_ url: URL) throws(CheckpointError) {
        guard let bytes = FileManager.default.size(atPath: url.path), bytes == 0,
            (FileManager.default.size(atPath: url.path + "-wal") ?? 0) == 0
        else { return }
        throw CheckpointError(
            .damaged,
            "the checkpoint store at \(url.path) is empty (0 bytes): it was truncated. "
                + "Restore it from a backup, or delete it to start over, paying again for every call")
    }
}
