import Foundation

/// What the user asked a run to do.
public struct RunOptions: Sendable {
    /// Files and directories to summarize.
    public var inputs: [String]
    /// Where summaries, the index, the report and the store go.
    public var outputDirectory: URL
    /// Overrides the pipeline's concurrency.
    public var concurrency: Int?
    /// Overrides the pipeline's base URL and its environment variable.
    public var baseURL: String?
    /// Where the API key and base URL variables are read from.
    public var environment: [String: String]
    /// Account limits and spending caps from the command line.
    public var limits: LimitOverrides

    public init(inputs: [String], outputDirectory: URL, concurrency: Int? = nil, baseURL: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment, limits: LimitOverrides = LimitOverrides()) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.concurrency = concurrency
        self.baseURL = baseURL
        self.environment = environment
        self.limits = limits
    }

    /// The store's location inside the output directory.
    public var storeURL: URL {
        outputDirectory.appendingPathComponent(".precis/state.sqlite")
    }
}
