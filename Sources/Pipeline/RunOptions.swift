import Foundation

/// What the user asked a run to do.
public struct RunOptions: Sendable {
    /// Files and directories to summarize.
    public var inputs: [String]
    /// Where summaries, the index, the report and the store go.
    public var outputDirectory: URL
    /// Overrides the pipeline's concurrency.
    public var concurrency: Int?

    public init(inputs: [String], outputDirectory: URL, concurrency: Int? = nil) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.concurrency = concurrency
    }

    /// The store's location inside the output directory.
    public var storeURL: URL {
        outputDirectory.appendingPathComponent(".precis/state.sqlite")
    }
}
