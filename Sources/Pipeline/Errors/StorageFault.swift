import Checkpoint
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether an error says the disk under the output cannot take more: no space, a quota or a
/// file-size limit, a read-only filesystem, or an I/O error.
///
/// Such a fault is not the file's: every later write fails the same way, so the run stops
/// admitting calls, whose answers it could not keep, and exits 3. Any failure of the store to
/// take a write counts, since the store is where each paid answer is kept.
enum StorageFault {
    static let codes: Set<Int32> = [ENOSPC, EDQUOT, EFBIG, EROFS, EIO]

    static func holds(_ error: any Error) -> Bool {
        var next: (any Error)? = error
        for _ in 0..<8 {
            guard let error = next else { return false }
            switch error {
            case let error as POSIXError: return codes.contains(error.code.rawValue)
            case is CheckpointError: return true
            case let error as PipelineError: next = error.cause
            default:
                let ns = error as NSError
                if ns.domain == NSPOSIXErrorDomain { return codes.contains(Int32(ns.code)) }
                // FileManager reports a full disk as a Cocoa write error over the POSIX one.
                if ns.domain == NSCocoaErrorDomain,
                    ns.code == NSFileWriteOutOfSpaceError || ns.code == NSFileWriteVolumeReadOnlyError
                {
                    return true
                }
                next = ns.userInfo[NSUnderlyingErrorKey] as? any Error
            }
        }
        return false
    }

    /// Why the run stopped, and what to do, for the report and the log.
    static func advice(_ error: any Error) -> String {
        if let error = error as? CheckpointError, error.code == .damaged { return error.message }
        return
            "the output cannot be written (\(error)); free space or fix the folder, then run again: finished calls are kept"
    }
}
