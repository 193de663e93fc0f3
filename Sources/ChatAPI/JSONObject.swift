import Foundation

/// The JSON object a server's body holds, read where any other body is an answer of its own kind
/// (an error page, a server that is not the one expected) rather than a failure to report.
public enum JSONObject {
    /// The object in `bytes`; nil when they are not JSON, or JSON that is not an object.
    public static func parse(_ bytes: some Sequence<UInt8>) -> [String: Any]? {
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        } catch {
            return nil
        }
    }
}
