import Foundation
import Ingest
import Scheduling

/// Hidden files, globs and the size limit of the walk, for the command line.
public typealias IngestOptions = Ingest.IngestOptions

/// When scanned pages are read by OCR, for the command line.
public typealias OCRMode = Ingest.OCRMode

/// Caps on what one run may spend, in tokens and in the pipeline's currency, for the command line.
public typealias SpendingLimits = Scheduling.SpendingLimits

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
    /// Confirm unchanged files by their content hash even when size and mtime match.
    public var rehash: Bool
    /// Remove the outputs (and stored state) of files whose inputs are gone.
    public var prune: Bool
    /// Wait for another run on the same output directory to finish instead of exiting 75.
    public var waitForLock: Bool
    /// Write into an output directory that holds files but no `.precis/` (refused otherwise).
    public var force = false
    /// Hidden files, globs and the size limit.
    public var ingest: IngestOptions
    /// Files read and extracted at once; nil means one per core.
    public var jobs: Int?
    /// Whether a last reduce over every document summary gives one summary of the whole folder.
    public var corpusSummary = false
    /// Where the run reports its progress as it goes.
    public var progress: RunProgress?
    /// A shared PostgreSQL store: the run is one worker of many on the same inputs.
    public var fleet: FleetOptions?
    /// Only this part of the inputs, with its own store and its share of the limits.
    public var shard: Shard?

    public init(
        inputs: [String], outputDirectory: URL, concurrency: Int? = nil, baseURL: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, limits: LimitOverrides = LimitOverrides(),
        rehash: Bool = false, prune: Bool = false, waitForLock: Bool = false, ingest: IngestOptions = IngestOptions(),
        jobs: Int? = nil
    ) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.concurrency = concurrency
        self.baseURL = baseURL
        self.environment = environment
        self.limits = limits
        self.rehash = rehash
        self.prune = prune
        self.waitForLock = waitForLock
        self.ingest = ingest
        self.jobs = jobs
    }

    /// The store's location inside the output directory.
    public var storeURL: URL {
        shard?.storeURL(in: outputDirectory) ?? outputDirectory.appendingPathComponent(OutputLayout.store)
    }
}
