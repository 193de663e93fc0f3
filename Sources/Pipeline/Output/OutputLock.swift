import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One run per output directory: a POSIX record lock on `OUT/.precis/lock`, and a `flock` on the
/// `.precis` folder itself (shared among the shards of one folder, each of which has its own lock file).
///
/// The kernel drops both when their holder exits, however it exits, so a lock left by a killed
/// run is simply free: whoever comes next takes it over. The folder's lock is what a deleted lock
/// file cannot defeat: a second run that makes a new file still finds the folder held. The file's
/// text (PID and start time) is for messages only; the locks are the authority.
final class OutputLock: Sendable {
    /// Who holds, or last held, a lock.
    struct Holder: Sendable, CustomStringConvertible {
        var pid: Int32
        var started: String?

        var description: String { "PID \(pid)" + (started.map { ", started \($0)" } ?? "") }
    }

    private let fd: Int32
    private let folder: Int32
    /// The holder a dead run left in the file, if this lock was taken over from one.
    let staleHolder: Holder?

    private init(fd: Int32, folder: Int32, staleHolder: Holder?) {
        self.fd = fd
        self.folder = folder
        self.staleHolder = staleHolder
    }

    /// The lock file of an output directory.
    static func url(in directory: URL, shard: Shard? = nil) -> URL {
        directory.appendingPathComponent(
            shard.map { OutputLayout.shardLock($0.index, of: $0.count) } ?? OutputLayout.lock)
    }

    /// Takes the lock, or waits for it when `wait` is set; otherwise a held lock is a `.locked` error.
    /// - Parameters:
    ///   - control: a signal while waiting ends the wait with `.interrupted` or `.terminated`.
    ///   - waiting: told once, with the holder, when the lock is busy and `wait` is set.
    static func acquire(
        in directory: URL, shard: Shard? = nil, wait: Bool, control: RunControl? = nil,
        waiting: (Holder?) -> Void = { _ in }
    ) async throws(PipelineError) -> OutputLock {
        let url = url(in: directory, shard: shard)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.output, "cannot use the output directory \(directory.path)", cause: error)
        }
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        let folder = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0, folder >= 0 else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            if folder >= 0 { close(folder) }
            throw PipelineError(.output, "cannot open \(url.path): \(reason)")
        }
        func closeBoth() {
            close(fd)
            close(folder)
        }
        var told = false
        while !take(fd, folder: folder, shared: shard != nil) {
            guard errno == EAGAIN || errno == EACCES || errno == EWOULDBLOCK else {
                let reason = String(cString: strerror(errno))
                closeBoth()
                throw PipelineError(.output, "cannot lock \(url.path): \(reason)")
            }
            let holder = self.holder(fd: fd).map { Holder(pid: $0.pid, started: contents(fd)?.started) }
            guard wait else {
                closeBoth()
                let who = holder.map { "precis \($0)" } ?? "another precis run"
                throw PipelineError(
                    .locked, "\(directory.path) is in use by \(who); try again later, or pass --wait to wait for it")
            }
            if !told {
                waiting(holder)
                told = true
            }
            if let signal = control?.signal {
                closeBoth()
                throw PipelineError(signal.errorCode, "interrupted by \(signal) while waiting for \(directory.path)")
            }
            do { try await Task.sleep(for: .milliseconds(200)) } catch {
                closeBoth()
                throw PipelineError(.stopped, "stopped while waiting for \(directory.path)")
            }
        }
        let previous = contents(fd)
        let mine = "pid=\(getpid())\nstarted=\(Date().ISO8601Format())\n"
        ftruncate(fd, 0)
        _ = mine.withCString { pwrite(fd, $0, strlen($0), 0) }
        // A holder that released its lock cleanly left the file empty.
        return OutputLock(fd: fd, folder: folder, staleHolder: previous.flatMap { $0.pid == getpid() ? nil : $0 })
    }

    /// The live holder of the directory's lock, without taking it; nil when no run holds it.
    static func holder(of directory: URL) -> Holder? {
        let fd = open(url(in: directory).path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let holder = holder(fd: fd) else { return nil }
        return Holder(pid: holder.pid, started: contents(fd)?.started)
    }

    /// Lets the lock go and leaves the file empty, which tells the next holder this one ended cleanly.
    func release() {
        ftruncate(fd, 0)
        close(fd)
        close(folder)
    }

    /// Both locks, or neither: the file's first, then the folder's (shared for a shard).
    private static func take(_ fd: Int32, folder: Int32, shared: Bool) -> Bool {
        guard setLock(fd, type: F_WRLCK) else { return false }
        if flock(folder, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 { return true }
        let failure = errno
        _ = setLock(fd, type: F_UNLCK)
        errno = failure
        return false
    }

    private static func setLock(_ fd: Int32, type: Int32) -> Bool {
        var request = flock()
        request.l_type = Int16(type)
        request.l_whence = Int16(SEEK_SET)
        return fcntl(fd, F_SETLK, &request) == 0
    }

    /// The process holding a conflicting lock, as the kernel knows it.
    private static func holder(fd: Int32) -> Holder? {
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        guard fcntl(fd, F_GETLK, &request) == 0, request.l_type != Int16(F_UNLCK) else { return nil }
        return Holder(pid: request.l_pid, started: nil)
    }

    private static func contents(_ fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        var pid: Int32?
        var started: String?
        for line in String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("pid=") { pid = Int32(line.dropFirst(4)) }
            if line.hasPrefix("started=") { started = String(line.dropFirst(8)) }
        }
        return pid.map { Holder(pid: $0, started: started) }
    }
}
