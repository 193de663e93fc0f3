import ChatAPI
import Foundation
import Ingest
import Scheduling

/// A pipeline with the command line's flags applied over it, once: what a run, an estimate and
/// `precis models` read, so that no part of them applies a flag on its own.
public struct RunSettings: Sendable {
    /// What the user asked for on the command line.
    public let options: RunOptions
    /// The pipeline as this run uses it: the file's values with the flags' overrides (`--ocr`)
    /// applied, as its pages are fingerprinted and read.
    public let config: PipelineConfig

    public init(options: RunOptions, config: PipelineConfig) {
        self.options = options
        var effective = config
        effective.ocr = options.ingest.ocr ?? config.ocr
        self.config = effective
    }

    /// The calls asked to run at once: the flag, else the pipeline, else one per core offline and 4
    /// for models. The account's concurrency limit may cap it further (``rateLimits``).
    public var concurrency: Int {
        let fallback = config.backend == .extractive ? ProcessInfo.processInfo.activeProcessorCount : 4
        return options.concurrency ?? config.concurrency ?? fallback
    }

    /// The account limits in force: flags over the pipeline's `limits` over its `tier`. The
    /// account's concurrency caps the requested one, since the server refuses anything past it.
    var rateLimits: RateLimits {
        let overrides = options.limits
        let tierLimits = (overrides.tier ?? config.tier).flatMap(RateLimits.tier)
        let cap = config.limits.concurrency ?? tierLimits?.concurrency
        let window = config.limits.windowSeconds.map { Duration.milliseconds(Int64($0 * 1000)) } ?? .seconds(60)
        let limits = RateLimits(
            concurrency: min(concurrency, cap ?? .max),
            rpm: overrides.rpm ?? config.limits.rpm ?? tierLimits?.rpm,
            tpm: overrides.tpm ?? config.limits.tpm ?? tierLimits?.tpm,
            tpd: overrides.tpd ?? config.limits.tpd ?? tierLimits?.tpd,
            window: window
        )
        guard let shard = options.shard, options.fleet == nil else { return limits }
        // Shards cannot see each other, so each keeps to its share: what an idle shard leaves is lost.
        let share = { (limit: Int?) in limit.map { max(1, $0 / shard.count) } }
        return RateLimits(
            concurrency: share(limits.concurrency) ?? 1, rpm: share(limits.rpm), tpm: share(limits.tpm),
            tpd: share(limits.tpd), window: limits.window)
    }

    /// The server the model calls go to: the flag, else the pipeline's variable, else the pipeline.
    var baseURL: String {
        let llm = config.llm
        return options.baseURL ?? options.environment[llm.baseURLEnv].flatMap { $0.isEmpty ? nil : $0 }
            ?? llm.baseURL ?? ChatClientConfiguration.moonshotBaseURL
    }

    /// The API key from the environment variable the pipeline names, if it holds one.
    var apiKey: String? {
        key(in: config.llm.apiKeyEnv)
    }

    /// The key in the environment variable `name`, trimmed; nil when unset or blank.
    private func key(in name: String) -> String? {
        options.environment[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap {
            $0.isEmpty ? nil : $0
        }
    }

    /// The files the walk finds under the inputs, the output directory left out; office files,
    /// EPUB and HTML too under `formats: kimi` when Kimi can be reached.
    func files() throws(PipelineError) -> [InputFile] {
        let files = try walk(office: config.formats == .kimi && extraction.key != nil)
        guard let shard = options.shard else { return files }
        return files.filter { shard.owns($0.id) }
    }

    /// The office files `formats: kimi` would read, when no key lets it: they are left out, with a warning.
    func officeFilesWithoutKey() throws(PipelineError) -> [InputFile] {
        guard config.formats == .kimi, extraction.key == nil else { return [] }
        return try walk(office: true).filter { $0.format == .office }
    }

    private func walk(office: Bool) throws(PipelineError) -> [InputFile] {
        var walker = options.ingest.walker(excluding: [options.outputDirectory])
        walker.includeOffice = office
        do { return try walker.files(in: options.inputs) } catch {
            throw PipelineError(.usage, error.description)
        }
    }

    /// Where Kimi's file extraction is reached: the pipeline's own server when it is Moonshot's,
    /// else `MOONSHOT_BASE_URL` (or Moonshot's) with `MOONSHOT_API_KEY`.
    var extraction: (baseURL: String, key: String?) {
        if config.backend == .openAICompatible && config.llm.apiKeyEnv == PipelineConfig.LLM().apiKeyEnv {
            return (baseURL, apiKey)
        }
        let env = options.environment
        let key = key(in: "MOONSHOT_API_KEY")
        return (
            options.baseURL ?? env["MOONSHOT_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
                ?? ChatClientConfiguration.moonshotBaseURL, key
        )
    }

    /// A client for Kimi's file extraction, when the pipeline reads through it and a key is set.
    func extractionClient() throws(PipelineError) -> ChatClient? {
        guard config.readsThroughKimi, let key = extraction.key else { return nil }
        return try client(baseURL: extraction.baseURL, key: key)
    }

    /// A client for `baseURL` with the pipeline's timeouts and transport rules.
    func client(baseURL: String, key: String?) throws(PipelineError) -> ChatClient {
        let llm = config.llm
        let configuration = ChatClientConfiguration(
            baseURL: baseURL, apiKey: key, connectTimeout: .seconds(llm.timeouts.connect),
            readTimeout: .seconds(llm.timeouts.read),
            requestTimeout: .seconds(llm.timeouts.request), allowInsecureHTTP: llm.allowInsecureHTTP
        )
        do { return try ChatClient(configuration: configuration) } catch {
            throw PipelineError(.config, error.message)
        }
    }

    /// How files are read: the size limit, the password tried, the OCR mode in force, and the pool
    /// that reading and extraction run in.
    func reader(remote: RemoteReader? = nil) -> DocumentReader {
        let loader = DocumentLoader(
            maxBytes: options.ingest.maxFileBytes, pdfPassword: options.ingest.pdfPassword ?? config.pdfPassword,
            ocr: config.ocr)
        return DocumentReader(
            loader: loader, pool: IngestPool(jobs: options.jobs ?? ProcessInfo.processInfo.activeProcessorCount),
            remote: remote)
    }
}
