import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that a reader sees the old content or the new, never half of either.
enum AtomicFile {
    /// ``write(_:to:)`` off the cooperative thread pool: an fsync blocks for milliseconds, and the
    /// pool has one thread per core, which the run's scheduling needs.
    static func write(_ data: Data, to url: URL) async throws(PipelineError) {
        let result: Result<Void, PipelineError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do throws(PipelineError) {
                    try write(data, to: url)
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
    }

    /// Writes `data` to a temporary file beside `url`, flushes it to disk, renames it over `url`, and
    /// flushes the folder.
    static func write(_ data: Data, to url: URL) throws(PipelineError) {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.output, "cannot create \(directory.path)", cause: error)
        }
        let temp = directory.appendingPathComponent(tempName(for: url.lastPathComponent))
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot create", temp) }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        let synced = written && fsync(fd) == 0
        close(fd)
        guard synced, rename(temp.path, url.path) == 0 else {
            let error = failure("cannot write", url)
            unlink(temp.path)
            throw error
        }
        // The rename is durable only once the folder is: the store records the file as done next,
        // and must never outlive the output it points at.
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// The temp file's name: hidden, with the writer's PID, so a leftover one is recognisable.
    static func tempName(for name: String) -> String {
        ".\(name).\(getpid()).precis-tmp"
    }

    /// Whether `name` is a temp file ``tempName(for:)`` made.
    static func isTempName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".precis-tmp")
    }

    private static func failure(_ what: String, _ url: URL) -> PipelineError {
        let code = errno
        // The errno travels as the cause, so a full or read-only disk is told from a bad path.
        return PipelineError(
            .output, "\(what) \(url.path): \(String(cString: strerror(code)))",
            cause: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
    }
}
