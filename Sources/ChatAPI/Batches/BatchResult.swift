import Foundation

/// One line of a batch's output or error file: the answer to one request, or why it failed.
///
/// Moonshot does not document the line's shape; this reads OpenAI's,
/// `{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}`, and refuses
/// any other, naming the line.
public struct BatchResult: Sendable {
    public var customID: String
    public var outcome: Result<ChatCompletion, ChatAPIError>
    /// The response body of a successful line as the platform sent it, for keeping until it is used.
    public var body: Data?

    public init(customID: String, outcome: Result<ChatCompletion, ChatAPIError>, body: Data? = nil) {
        self.customID = customID
        self.outcome = outcome
        self.body = body
    }

    /// The lines of an output or error file; `model` names the batch's model where a body does not.
    public static func parse(_ data: Data, model: String) throws -> [BatchResult] {
        var results: [BatchResult] = []
        for (number, line) in data.split(separator: 0x0A).enumerated()
        where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            guard let object = JSONObject.parse(line),
                let customID = object["custom_id"] as? String
            else {
                throw ChatAPIError(
                    .malformedResponse,
                    "batch result line \(number + 1) is not {custom_id, response, error}: \(String(decoding: line.prefix(120), as: UTF8.self))"
                )
            }
            let (outcome, body) = try outcome(object, line: number + 1, model: model)
            results.append(BatchResult(customID: customID, outcome: outcome, body: body))
        }
        return results
    }

    private static func outcome(_ object: [String: Any], line: Int, model: String) throws -> (
        Result<ChatCompletion, ChatAPIError>, Data?
    ) {
        if let error = object["error"] as? [String: Any] {
            let message = error["message"] as? String ?? "the request failed"
            return (
                .failure(ChatAPIError(.server, type: error["code"] as? String ?? error["type"] as? String, message)),
                nil
            )
        }
        guard let response = object["response"] as? [String: Any], let status = response["status_code"] as? Int,
            let body = response["body"]
        else {
            throw ChatAPIError(
                .malformedResponse,
                "batch result line \(line) has neither a response with status_code and body nor an error")
        }
        let bytes: [UInt8]
        if let text = body as? String {
            bytes = Array(text.utf8)
        } else {
            do { bytes = Array(try JSONSerialization.data(withJSONObject: body)) } catch {
                throw ChatAPIError(
                    .malformedResponse, "batch result line \(line) has a body that cannot be written as JSON: \(error)")
            }
        }
        guard (200..<300).contains(status) else {
            return (.failure(ErrorClassifier.error(status: status, headers: [], body: bytes)), nil)
        }
        do { return (.success(try ChatClient.decodeCompletion(bytes, model: model)), Data(bytes)) } catch let error
            as ChatAPIError
        {
            return (.failure(error), nil)
        }
    }
}
