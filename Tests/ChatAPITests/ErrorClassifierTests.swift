import Foundation
import Testing

@testable import ChatAPI

struct ErrorClassifierTests {
    func classify(_ status: Int, _ body: String, headers: [(String, String)] = []) -> ChatAPIError {
        ErrorClassifier.error(status: status, headers: headers, body: Array(body.utf8))
    }

    func moonshot(_ type: String) -> String { "{\"error\":{\"type\":\"\(type)\",\"message\":\"m\"}}" }

    @Test func classifiesMoonshotStatusesAndTypes() {
        let cases: [(Int, String, ChatAPIError.Code, ChatAPIError.Disposition)] = [
            (429, moonshot("rate_limit_reached_error"), .rateLimited, .retryAfterPause),
            (429, moonshot("engine_overloaded_error"), .overloaded, .retryAfterPause),
            (429, moonshot("exceeded_current_quota_error"), .quotaExceeded, .stopRun),
            (400, moonshot("invalid_request_error"), .badRequest, .fail),
            (
                400,
                #"{"error":{"type":"invalid_request_error","message":"Invalid request: Your request exceeded model token limit: 8192"}}"#,
                .contextLength, .fail
            ),
            (400, #"{"error":{"type":"context_length_exceeded","message":"too long"}}"#, .contextLength, .fail),
            (400, moonshot("content_filter"), .contentFilter, .fail),
            (401, moonshot("invalid_authentication_error"), .authentication, .stopRun),
            (403, moonshot("permission_denied_error"), .permission, .fail),
            (404, moonshot("resource_not_found_error"), .notFound, .fail),
            (500, moonshot("server_error"), .server, .retry),
            (502, "<html>bad gateway</html>", .server, .retry),
            (503, "", .server, .retry),
            (504, "", .timeout, .retry)
        ]
        for (status, body, code, disposition) in cases {
            let error = classify(status, body)
            #expect(error.code == code, "\(status) \(body)")
            #expect(error.disposition == disposition, "\(status) \(body)")
            #expect(error.status == status)
        }
    }

    @Test func keepsTheServersTypeAndMessage() {
        let error = classify(429, "{\"error\":{\"type\":\"rate_limit_reached_error\",\"message\":\"max RPM: 3\"}}")
        #expect(error.type == "rate_limit_reached_error")
        #expect(error.message == "max RPM: 3")
        #expect(error.description.contains("HTTP 429"))
    }

    @Test func recognisesARefusedKeyInTheDetailShape() {
        let error = classify(401, "{\"detail\":\"Invalid API Key\"}")
        #expect(error.code == .authentication)
        #expect(error.disposition == .stopRun)
        #expect(error.description.contains("refused"))
        #expect(error.description.contains("Invalid API Key"))
    }

    @Test func readsRetryAfterInSecondsMillisecondsAndDates() {
        #expect(ErrorClassifier.parseRetryAfter([("Retry-After", "7")]) == .seconds(7))
        #expect(ErrorClassifier.parseRetryAfter([("retry-after-ms", "1500")]) == .milliseconds(1500))
        #expect(
            ErrorClassifier.parseRetryAfter([("retry-after-ms", "250"), ("Retry-After", "9")]) == .milliseconds(250))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let later = "Fri, 15 Jan 2027 08:00:30 GMT"
        let parsed = ErrorClassifier.parseRetryAfter([("Retry-After", later)], now: now)
        #expect(parsed != nil)
        #expect(ErrorClassifier.parseRetryAfter([("Retry-After", "soon")]) == nil)
        #expect(
            classify(429, moonshot("rate_limit_reached_error"), headers: [("Retry-After", "3")]).retryAfter
                == .seconds(3))
    }

    @Test func aSchemaRefusalAnsweredWith500IsAFinalBadRequestWithoutTheTraceback() {
        // llama-cpp-python's answer to a field its schema refuses, as the real server words it.
        let body =
            #"{"error":{"message":"1 validation error:\n  {'type': 'float_parsing', 'loc': ('body', 'temperature'), 'msg': 'Input should be a valid number'}\n\n  File \"/srv/llama_cpp/server/app.py\", line 376, in create_chat_completion\n    POST /v1/chat/completions","type":"internal_server_error"}}"#
        let error = classify(500, body)
        #expect(error.code == .badRequest)
        #expect(error.disposition == .fail)
        #expect(error.status == 500)
        #expect(
            error.message
                == "1 validation error: {'type': 'float_parsing', 'loc': ('body', 'temperature'), 'msg': 'Input should be a valid number'}"
        )
        // Any other 500 is still the server's trouble, and retried.
        #expect(classify(500, "Internal Server Error").code == .server)
        #expect(
            classify(500, #"{"error":{"message":"the validation service is down","type":"server_error"}}"#).disposition
                == .retry)
    }

}

struct RequestValidatorTests {
    func request(_ change: (inout ChatRequest) -> Void) -> ChatRequest {
        var r = ChatRequest(
            model: "moonshot-v1-8k", messages: [.system("s"), .user("u")], temperature: 0.3, maxTokens: 100,
            contextWindow: 8192, estimatedPromptTokens: 100)
        change(&r)
        return r
    }

    @Test func acceptsAValidRequest() throws {
        try RequestValidator.validate(request { _ in })
    }

    @Test func refusesEachBrokenRule() {
        let broken: [(String, (inout ChatRequest) -> Void)] = [
            ("empty content", { $0.messages[1].content = "" }),
            ("no messages", { $0.messages = [] }),
            ("temperature", { $0.temperature = 1.5 }),
            ("top_p", { $0.topP = -0.1 }),
            ("n too big", { $0.n = 6 }),
            (
                "n at temperature 0",
                {
                    $0.n = 2
                    $0.temperature = 0
                }
            ),
            ("six stops", { $0.stop = ["a", "b", "c", "d", "e", "f"] }),
            ("long stop", { $0.stop = [String(repeating: "x", count: 33)] }),
            ("max_tokens", { $0.maxTokens = 0 }),
            (
                "window",
                {
                    $0.estimatedPromptTokens = 8000
                    $0.maxTokens = 500
                }
            ),
            (
                "window with default max_tokens",
                {
                    $0.estimatedPromptTokens = 7500
                    $0.maxTokens = nil
                }
            )
        ]
        for (name, change) in broken {
            #expect(throws: ChatAPIError.self, "\(name)") { try RequestValidator.validate(request(change)) }
        }
    }

    @Test func refusesToSendAKeyOverPlainHTTPOffThisMachine() {
        let remote = ChatClientConfiguration(baseURL: "http://example.com/v1", apiKey: "k")
        #expect { try remote.checkTransport() } throws: { ($0 as? ChatAPIError)?.code == .insecureTransport }
        #expect(throws: Never.self) {
            try ChatClientConfiguration(baseURL: "http://127.0.0.1:8000/v1", apiKey: "k").checkTransport()
        }
        #expect(throws: Never.self) {
            try ChatClientConfiguration(baseURL: "http://example.com/v1", apiKey: "k", allowInsecureHTTP: true)
                .checkTransport()
        }
        #expect(throws: Never.self) {
            try ChatClientConfiguration(baseURL: "http://example.com/v1", apiKey: nil).checkTransport()
        }
    }

}
