/// Parses a server-sent event stream from raw bytes, however the network splits them.
///
/// Lines are cut on bytes and decoded only when whole, so a multi-byte character split across
/// two reads comes out intact. Comment lines (`: ping`) are dropped; `data:` lines of one event
/// are joined with newlines, as the SSE specification says.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var sawCR = false

    public init() {}

    /// The events completed by `bytes`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if sawCR {
                sawCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                sawCR = true
                endLine(into: &events)
            case 0x0A:
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// The event left open when the stream ends, if any.
    public mutating func finish() -> [String] {
        var events: [String] = []
        if !line.isEmpty { endLine(into: &events) }
        if !data.isEmpty {
            events.append(data.joined(separator: "\n"))
            data.removeAll()
        }
        return events
    }

    private mutating func endLine(into events: inout [String]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            if !data.isEmpty {
                events.append(data.joined(separator: "\n"))
                data.removeAll()
            }
            return
        }
        if line.first == UInt8(ascii: ":") { return }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        let value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            let rest = text[text.index(after: colon)...]
            value = rest.first == " " ? rest.dropFirst() : rest
        } else {
            field = text[...]
            value = ""
        }
        if field == "data" { data.append(String(value)) }
    }
}
