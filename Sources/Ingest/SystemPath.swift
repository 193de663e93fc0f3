import Foundation

/// A file system path as the bytes the kernel knows, which need not be valid UTF-8.
///
/// Swift strings cannot hold a file name with invalid UTF-8 bytes, so the walk keeps the bytes to
/// open the file, and ``display`` shows them readably, with `\xNN` for a byte that is not UTF-8
/// and `\n` for a newline.
public struct SystemPath: Sendable, Hashable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(_ path: String) { bytes = Array(path.utf8) }

    /// This path with `name` appended as one more component.
    func appending(_ name: [UInt8]) -> SystemPath {
        SystemPath(bytes: bytes.last == UInt8(ascii: "/") ? bytes + name : bytes + [UInt8(ascii: "/")] + name)
    }

    /// Calls `body` with the path as a C string.
    public func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// The path for people: UTF-8 where it is, `\xNN` where it is not, and no raw control characters.
    public var display: String { Self.display(bytes) }

    static func display(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length =
                lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, i + length <= bytes.count,
                let scalar = String(validating: bytes[i..<i + length], as: UTF8.self)?.unicodeScalars.first
            {
                switch scalar.value {
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0..<0x20, 0x7F: out += String(format: "\\x%02X", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
                i += length
            } else {
                out += String(format: "\\x%02X", lead)
                i += 1
            }
        }
        return out
    }
}
