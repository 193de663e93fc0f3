import ChatAPI
import Foundation

/// The real llama.cpp servers `make test-integration` starts (llama-cpp-python with
/// `stories260K.gguf`); the integration suites run only when it has set these variables.
public enum LlamaServer {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The API root of the server started as the issue asks: `--interrupt_requests False`, no key.
    public static var baseURL: String? { environment["PRECIS_LLAMA_URL"] }

    /// A second server with the default `--interrupt_requests True` and `--api_key`, for the
    /// quirks that only show there: streams cut by a newer request, and 401 `{"detail": …}`.
    public static var keyedURL: String? { environment["PRECIS_LLAMA_KEYED_URL"] }
    public static var key: String? { environment["PRECIS_LLAMA_KEY"] }

    public static var available: Bool { baseURL != nil && keyedURL != nil && key != nil }

    /// A client for one of the servers, with the idle (read) timeout given.
    public static func client(_ url: String, key: String? = nil, readTimeout: Duration = .seconds(120)) throws -> ChatClient {
        try ChatClient(configuration: ChatClientConfiguration(baseURL: url, apiKey: key, connectTimeout: .seconds(10),
                                                              readTimeout: readTimeout, requestTimeout: .seconds(600)))
    }

    /// A request the 260K model answers in full: at temperature 0 it writes to `max_tokens`
    /// without an end token, about 400 tokens a second on one thread.
    public static func story(_ maxTokens: Int, stream: Bool, prompt: String = "Once upon a time") -> ChatRequest {
        ChatRequest(model: "local", messages: [.user(prompt)], temperature: 0, maxTokens: maxTokens, stream: stream)
    }

    /// The shipped pipeline for local servers, or a file that extends it with `extra` lines.
    public static func pipeline(_ extra: String? = nil, named name: String = "llamacpp-variant.yaml", in directory: URL) throws -> String {
        let shipped = TestSupport.root.appendingPathComponent("pipelines/llamacpp.yaml").path
        guard let extra else { return shipped }
        return try TestSupport.write("extends: \(shipped)\n\(extra)\n", to: name, in: directory).path
    }
}
