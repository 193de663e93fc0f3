import Foundation

/// Turns a text file's bytes into a string, naming the encoding it took.
///
/// The chain is: byte-order mark (UTF-8, UTF-16 LE/BE) → UTF-16 without a mark (by its NUL
/// pattern) → strict UTF-8 → Windows-1252/Latin-1 for mostly-ASCII text with lone accented bytes →
/// the best-reading of GB18030, Big5 and Shift-JIS → lossy UTF-8 with a warning. Bytes that look
/// like a binary file (NULs, control bytes) are refused once UTF-16 is ruled out.
public enum TextDecoder {
    /// The decoded text and how it was decoded.
    public struct Decoded: Sendable {
        public var text: String
        public var encoding: String
        public var warning: String?
    }

    /// Decodes `data`; `path` only names the file in errors.
    /// - Throws: ``IngestError`` `.binary` when the bytes are not text.
    public static func decode(_ data: Data, path: String) throws(IngestError) -> Decoded {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return Decoded(text: normalize(String(decoding: bytes.dropFirst(3), as: UTF8.self)), encoding: "utf-8-bom")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map { i in
                little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
            }
            return Decoded(
                text: normalize(String(decoding: units, as: UTF16.self)), encoding: little ? "utf-16le" : "utf-16be")
        }
        if let name = LegacyEncoding.utf16(bytes),
            let text = LegacyEncoding.decodeUTF16(bytes, littleEndian: name == "utf-16le"),
            binaryReason(Array(text.utf8)) == nil
        {
            return Decoded(text: normalize(text), encoding: name)
        }
        if let reason = binaryReason(bytes) {
            throw IngestError(.binary, path: path, "binary file, not text: \(reason)")
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return Decoded(text: normalize(text), encoding: "utf-8")
        }
        if LegacyEncoding.looksLatin(bytes) {
            let (text, name) = LegacyEncoding.decodeLatin(data)
            return Decoded(text: normalize(text), encoding: name)
        }
        if let (text, name) = LegacyEncoding.bestCJK(data) {
            return Decoded(text: normalize(text), encoding: name)
        }
        return Decoded(
            text: normalize(String(decoding: bytes, as: UTF8.self)),
            encoding: "utf-8-lossy",
            warning: "not valid UTF-8, UTF-16, GB18030, Big5, Shift-JIS or Latin-1; undecodable bytes were replaced"
        )
    }

    /// Why the bytes look binary, or nil when they look like text.
    static func binaryReason(_ bytes: [UInt8]) -> String? {
        let sample = bytes.prefix(65_536)
        guard !sample.isEmpty else { return nil }
        var nul = 0
        var control = 0
        for byte in sample {
            if byte == 0 {
                nul += 1
            } else if byte < 0x09 || (byte > 0x0D && byte < 0x20) || byte == 0x7F {
                control += 1
            }
        }
        if nul > 0 { return "\(nul) NUL bytes in the first \(sample.count)" }
        if control * 10 > sample.count { return "\(control * 100 / sample.count)% control bytes" }
        return nil
    }

    /// Folds CRLF and lone CR line ends into LF.
    static func normalize(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
