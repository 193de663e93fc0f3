import Foundation

/// Where and how a ``ChatClient`` connects.
public struct ChatClientConfiguration: Sendable {
    /// Moonshot's API, the default when nothing else is named.
    public static let moonshotBaseURL = "https://api.moonshot.cn/v1"

    /// The API root, such as `https://api.moonshot.cn/v1`; paths are appended to it.
    public var baseURL: String
    /// The bearer key; nil sends no `Authorization` header (local servers).
    public var apiKey: String?
    public var connectTimeout: Duration
    /// The longest silence allowed while reading an answer or a stream.
    public var readTimeout: Duration
    /// The most a whole call may take; Moonshot itself cuts a request at five minutes.
    public var requestTimeout: Duration
    /// Allows sending the key over plain HTTP to a host other than this machine.
    public var allowInsecureHTTP: Bool

    public init(
        baseURL: String = ChatClientConfiguration.moonshotBaseURL, apiKey: String? = nil,
        connectTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(120),
        requestTimeout: Duration = .seconds(300), allowInsecureHTTP: Bool = false
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.requestTimeout = requestTimeout
        self.allowInsecureHTTP = allowInsecureHTTP
    }

    /// Whether the base URL's host is this machine: an IP literal in 127.0.0.0/8, `::1`, or `localhost`.
    public var isLoopback: Bool {
        guard let host = URL(string: baseURL)?.host else { return false }
        return LoopbackHost.contains(host)
    }

    /// Whether the key would go over plain HTTP to another machine, as `allow_insecure_http` lets it.
    public var sendsKeyInTheClear: Bool {
        URL(string: baseURL)?.scheme?.lowercased() == "http" && apiKey != nil && !isLoopback
    }

    /// What hides the key in anything a server says.
    public var redactor: SecretRedactor { SecretRedactor(secrets: [apiKey]) }

    /// Refuses a configuration that would send the key in the clear across a network.
    public func checkTransport() throws(ChatAPIError) {
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), url.host != nil,
            scheme == "http" || scheme == "https"
        else {
            throw ChatAPIError(.invalidRequest, "base URL '\(baseURL)' is not an http(s) URL")
        }
        if sendsKeyInTheClear, !allowInsecureHTTP {
            throw ChatAPIError(
                .insecureTransport,
                "refusing to send the API key over plain http:// to \(url.host ?? baseURL); use https, or set allow_insecure_http: true in the pipeline"
            )
        }
    }
}
