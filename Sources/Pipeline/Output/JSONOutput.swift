import Foundation

/// The JSON precis writes and prints: keys sorted, slashes unescaped, dates in ISO 8601.
public enum JSONOutput {
    /// `value` as JSON, pretty-printed unless `pretty` is false (one line, as `extract --json` streams it).
    /// - Throws: ``PipelineError`` `.output` when a value cannot be written, such as a cost that is not a number.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws(PipelineError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do { return try encoder.encode(value) } catch {
            throw PipelineError(.output, "cannot write the \(T.self) as JSON", cause: error)
        }
    }

    /// A value from JSON precis wrote, such as `report.json`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: data)
    }
}
