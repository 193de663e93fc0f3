import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A large UTF-8 text file read a segment at a time, so that what a document holds in memory stays
/// near one segment's worth, whatever the file's size.
///
/// A segment ends at the first blank line at or after ``segmentBytes``, else the first line end,
/// else a character boundary. Segments are cut from the start, so text appended at the end changes
/// only the last one. Each is decoded, cleaned and split at headings as a whole file would be, the
/// heading path carried from one segment to the next. Only files whose opening is UTF-8 are read
/// this way: the other encodings precis reads are told apart on the whole file.
public final class TextSegments: Sendable {
    /// Text files larger than this are read in segments.
    public static let threshold = 32 << 20
    /// The bytes a segment holds before it looks for a place to end.
    public static let segmentBytes = 4 << 20
    /// How far past ``segmentBytes`` a segment looks for a blank line or a line end.
    public static let lookahead = 1 << 20

    private struct State: ~Copyable {
        var offset = 0
        var path: [(level: Int, title: String)] = []
        var hasher = SHA256()
        var title: String?
        var lossy = false
        var done = false
    }

    public let file: InputFile
    /// This reader's ``segmentBytes`` and ``lookahead``, smaller in tests.
    private let bytes: (segment: Int, lookahead: Int)
    private let fd: Int32
    private let size: Int
    private let expectedHash: String
    private let clean: Bool
    private let state = Mutex(State())

    /// Opens `file` for reading in segments, or nil when it is not a large UTF-8 text file (then it
    /// is read whole).
    /// - Parameter hash: the content hash the run found, which the segments must add up to.
    /// - Throws: ``IngestError`` when the file cannot be opened, or its opening is binary.
    /// - Parameter sizes: the threshold, segment and lookahead sizes, for tests that need small ones.
    public init?(
        _ file: InputFile, hash: String, clean: Bool,
        sizes: (threshold: Int, segment: Int, lookahead: Int) = (threshold, segmentBytes, lookahead)
    ) throws(IngestError) {
        guard file.kind == .regular, (file.format ?? .text) == .text, file.size > sizes.threshold else { return nil }
        let fd = file.location.open(O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw IngestError(.unreadable, path: file.id, "cannot open the file: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        var opening = [UInt8](repeating: 0, count: 65_536)
        let read = opening.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard fstat(fd, &info) == 0, read > 0 else {
            close(fd)
            throw IngestError(.unreadable, path: file.id, "cannot read the file: \(String(cString: strerror(errno)))")
        }
        opening.removeLast(opening.count - read)
        if let reason = TextDecoder.binaryReason(opening) {
            close(fd)
            throw IngestError(.binary, path: file.id, "binary file, not text: \(reason)")
        }
        guard Self.isUTF8(opening) else {
            close(fd)
            return nil
        }
        (self.file, self.fd, size, expectedHash, self.clean) = (file, fd, Int(info.st_size), hash, clean)
        bytes = (sizes.segment, sizes.lookahead)
    }

    deinit { close(fd) }

    /// The document's title, from its first segment; nil before it is read or when it has none.
    public var title: String? { state.withLock { $0.title } }

    /// A warning for the page, when some bytes were not UTF-8 and were replaced.
    public var warning: String? {
        state.withLock { $0.lossy } ? "not all of it is valid UTF-8; undecodable bytes were replaced" : nil
    }

    /// The next segment's parts, nil after the last. Called by one task at a time.
    /// - Throws: ``IngestError`` when a read fails, or the file no longer holds what was hashed.
    public func next() throws(IngestError) -> [Document.Part]? {
        try state.withLock { (state: inout State) throws(IngestError) -> [Document.Part]? in
            guard !state.done else { return nil }
            let bytes = try read(from: state.offset)
            guard !bytes.isEmpty else {
                state.done = true
                let hash = ContentHash.hex(state.hasher.finalize())
                guard state.offset == size, hash == expectedHash else {
                    throw IngestError(
                        .unreadable, path: file.id, "the file changed while it was read; run again once it is written")
                }
                return nil
            }
            state.hasher.update(data: bytes)
            let first = state.offset == 0
            state.offset += bytes.count
            let body = first && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
            var text =
                String(validating: body, as: UTF8.self)
                ?? {
                    state.lossy = true
                    return String(decoding: body, as: UTF8.self)
                }()
            text = TextDecoder.normalize(text)
            if clean { text = TextCleaner.clean(text: text) }
            if first { state.title = TextStructure.title(of: text) }
            return TextStructure.parts(of: text, page: nil, path: &state.path)
        }
    }

    /// The segment that starts at `offset`: up to the first place to end past the segment size.
    private func read(from offset: Int) throws(IngestError) -> [UInt8] {
        let want = min(bytes.segment + bytes.lookahead, max(0, size - offset))
        var buffer = [UInt8](repeating: 0, count: want)
        var got = 0
        while got < want {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, want - got, off_t(offset + got)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw IngestError(
                    .unreadable, path: file.id, "cannot read the file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            got += n
        }
        buffer.removeLast(want - got)
        guard offset + got < size, got > bytes.segment else { return buffer }
        buffer.removeLast(got - Self.end(of: buffer, from: bytes.segment))
        return buffer
    }

    /// Where a segment ends in `bytes`: after the first blank line at or past `from`, else after
    /// the first line end, else at the first character boundary.
    static func end(of bytes: [UInt8], from: Int) -> Int {
        var newline: Int?
        for i in from..<bytes.count where bytes[i] == 0x0A {
            if i + 1 < bytes.count, bytes[i + 1] == 0x0A { return i + 2 }
            if newline == nil { newline = i + 1 }
        }
        if let newline { return newline }
        var cut = from
        while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }

    /// Whether `bytes` are UTF-8, but for a character cut at their end.
    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        for drop in 0...min(3, bytes.count) where String(validating: bytes.dropLast(drop), as: UTF8.self) != nil {
            return true
        }
        return false
    }
}
