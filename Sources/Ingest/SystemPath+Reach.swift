import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Linux's `O_PATH` (the same on x86-64 and arm64), which Glibc's Swift overlay leaves out: a
/// folder opened only to reach what is under it needs search permission, not read permission.
private let pathOnly: Int32 = 0o10000000

extension SystemPath {
    /// Runs `body` with a folder descriptor and a name in it that together reach this path, however
    /// long it is. The kernel refuses whole paths of PATH_MAX bytes or more (ENAMETOOLONG), so a
    /// deep tree's files would otherwise vanish from the walk; such paths are reached folder by
    /// folder with `openat`. Nil, with `errno` set, when a folder on the way cannot be entered.
    func reach<T>(_ body: (_ folder: Int32, _ name: UnsafePointer<CChar>) -> T) -> T? {
        if bytes.count < Int(PATH_MAX) - 1 { return withCString { body(AT_FDCWD, $0) } }
        var parts = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map {
            SystemPath(bytes: Array($0))
        }
        guard let leaf = parts.popLast() else { return nil }
        var folder = bytes.first == UInt8(ascii: "/") ? Glibc.open("/", pathOnly | O_DIRECTORY | O_CLOEXEC) : AT_FDCWD
        guard folder != -1 else { return nil }
        for part in parts {
            let next = part.withCString { openat(folder, $0, pathOnly | O_DIRECTORY | O_CLOEXEC) }
            let error = errno
            if folder != AT_FDCWD { close(folder) }
            guard next >= 0 else {
                errno = error
                return nil
            }
            folder = next
        }
        defer { if folder != AT_FDCWD { close(folder) } }
        return leaf.withCString { body(folder, $0) }
    }

    /// `stat` of the path (following links), however long; false with `errno` set when it fails.
    func status(_ info: inout stat) -> Bool {
        reach { fstatat($0, $1, &info, 0) } == 0
    }

    /// Opens the path, however long; -1 with `errno` set when it fails.
    func open(_ flags: Int32) -> Int32 {
        reach { openat($0, $1, flags) } ?? -1
    }

    /// Opens the folder at the path for reading its entries, however long.
    func openDirectory() -> OpaquePointer? {
        let fd = open(O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let stream = fdopendir(fd) else {
            close(fd)
            return nil
        }
        return stream
    }
}
