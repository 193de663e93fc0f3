import Foundation

/// Bodies the fake reads and writes as JSON. The fake keeps its own reader rather than the client's,
/// so that it judges requests by the platform's rules and not by the code under test.
enum JSONBody {
    /// The object in `bytes`; nil when they are not a JSON object, which the fake answers with a 400.
    static func object(_ bytes: some Sequence<UInt8>) -> [String: Any]? {
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        } catch {
            return nil
        }
    }

    /// `value` as JSON bytes; the fake builds its answers from plain values, which always encode.
    static func bytes(_ value: Any, sorted: Bool = false) -> [UInt8] {
        guard JSONSerialization.isValidJSONObject(value) else { return Array("{}".utf8) }
        do {
            return Array(try JSONSerialization.data(withJSONObject: value, options: sorted ? [.sortedKeys] : []))
        } catch {
            return Array("{}".utf8)
        }
    }
}
