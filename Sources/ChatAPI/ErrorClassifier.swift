import Foundation

/// Turns an HTTP status, its headers and its body into a ``ChatAPIError``.
enum ErrorClassifier {
    /// The error for a non-2xx answer.
    static func error(status: Int, headers: [(String, String)], body: [UInt8]) -> ChatAPIError {
        let (type, serverMessage) = parseBody(body)
        let retryAfter = parseRetryAfter(headers)
        let message = serverMessage.map(firstParagraph) ?? "the server answered HTTP \(status)"
        let code: ChatAPIError.Code
        switch status {
        case 400 where type == "content_filter": code = .contentFilter
        case 400 where isContextLength(type: type, message: serverMessage): code = .contextLength
        case 400: code = .badRequest
        case 401: code = .authentication
        case 403: code = .permission
        // Moonshot's answer for a model it does not serve: "Not found the model X or Permission denied".
        case 404 where type == "resource_not_found_error" && serverMessage?.lowercased().contains("the model") == true:
            code = .modelRetired
        case 404: code = .notFound
        case 408: code = .timeout
        case 429:
            switch type {
            case "exceeded_current_quota_error": code = .quotaExceeded
            case "engine_overloaded_error": code = .overloaded
            default: code = .rateLimited
            }
        case 504: code = .timeout
        // llama-cpp-python answers a request its schema refuses with 500; sending it again cannot help.
        case 500...599 where isValidationFailure(serverMessage): code = .badRequest
        case 500...599: code = .server
        default: code = .http
        }
        let text = code == .authentication ? "the API key was refused: \(message)" : message
        return ChatAPIError(code, status: status, type: type, text, retryAfter: retryAfter)
    }

    /// The error type and message from `{"error":{"type","message"}}`, `{"detail": …}` or `{"message": …}`.
    static func parseBody(_ body: [UInt8]) -> (type: String?, message: String?) {
        guard let object = JSONObject.parse(body) else {
            let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return (nil, text.isEmpty ? nil : text)
        }
        if let error = object["error"] as? [String: Any] {
            return (error["type"] as? String ?? error["code"] as? String, error["message"] as? String)
        }
        if let error = object["error"] as? String { return (nil, error) }
        if let detail = object["detail"] {
            return (nil, detail as? String ?? String(describing: detail))
        }
        return (nil, object["message"] as? String)
    }

    /// Whether a 400 says the prompt is too long for the window: Moonshot's "exceeded model token
    /// limit", OpenAI's and llama.cpp's `context_length_exceeded`, vLLM's "maximum context length".
    static func isContextLength(type: String?, message: String?) -> Bool {
        if type == "context_length_exceeded" { return true }
        guard let message = message?.lowercased() else { return false }
        return ["token limit", "context length", "context_length_exceeded", "maximum context"].contains {
            message.contains($0)
        }
    }

    /// Whether a server's message is a schema's refusal (pydantic's "1 validation error: …").
    static func isValidationFailure(_ message: String?) -> Bool {
        guard let message else { return false }
        return message.range(of: #"^\d+ validation errors?\b"#, options: .regularExpression) != nil
    }

    /// A message up to its first blank line, on one line: the reason, without the traceback some
    /// servers append.
    static func firstParagraph(_ message: String) -> String {
        let head = message.range(of: "\n\n").map { String(message[..<$0.lowerBound]) } ?? message
        return head.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(
            separator: " ")
    }

    /// `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date).
    static func parseRetryAfter(_ headers: [(String, String)], now: Date = Date()) -> Duration? {
        func value(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1.trimmingCharacters(in: .whitespaces)
        }
        if let ms = value("retry-after-ms").flatMap(Double.init), ms >= 0 {
            return .milliseconds(Int64(ms.rounded(.up)))
        }
        guard let raw = value("retry-after") else { return nil }
        if let seconds = Double(raw), seconds >= 0 { return .milliseconds(Int64((seconds * 1000).rounded(.up))) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: raw) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}
