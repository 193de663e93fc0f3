import Foundation

/// One request of a batch's input file: `{"custom_id", "method", "url", "body"}`.
public struct BatchLine: Sendable, Hashable, Encodable {
    public var customID: String
    public var request: ChatRequest

    public init(customID: String, request: ChatRequest) {
        self.customID = customID
        self.request = request
    }

    enum CodingKeys: String, CodingKey {
        case customID = "custom_id"
        case method, url, body
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(customID, forKey: .customID)
        try c.encode("POST", forKey: .method)
        try c.encode("/v1/chat/completions", forKey: .url)
        try c.encode(request, forKey: .body)
    }

    /// The JSONL a batch's input file holds, checked as the Batch API checks it: one model, every
    /// `custom_id` unique, every request valid, non-empty and at most 100 MB.
    public static func jsonl(_ lines: [BatchLine]) throws -> Data {
        guard let model = lines.first?.request.model else {
            throw ChatAPIError(.invalidRequest, "a batch needs at least one request")
        }
        var seen: Set<String> = []
        var data = Data()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for line in lines {
            guard line.request.model == model else {
                throw ChatAPIError(
                    .invalidRequest,
                    "a batch holds one model; \(line.customID) asks for \(line.request.model), not \(model)")
            }
            guard seen.insert(line.customID).inserted else {
                throw ChatAPIError(.invalidRequest, "custom_id \(line.customID) appears twice")
            }
            guard !line.request.stream else {
                throw ChatAPIError(.invalidRequest, "\(line.customID): a batch request cannot stream")
            }
            try RequestValidator.validate(line.request)
            data.append(try encoder.encode(line))
            data.append(0x0A)
        }
        guard data.count <= RemoteFile.maxBytes else {
            throw ChatAPIError(.invalidRequest, "the batch file is \(data.count) bytes, over 100 MB")
        }
        return data
    }
}
