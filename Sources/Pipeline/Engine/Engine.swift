import ChatAPI
import Checkpoint
import Chunking
import Foundation
import Scheduling
import Summarization

/// What a pipeline's summarizer runs on, built once per run or estimate: the summarizer, the chat
/// client and the account's limiter behind it, and the chunk budget its model's window allows
/// (DESIGN invariant 2).
struct Engine: Sendable {
    let summarizer: any Summarizer
    /// The most input tokens one call may carry.
    let budget: Int
    let calibration: TokenCalibration
    let client: ChatClient?
    /// Where the model calls go, for the log; nil offline.
    let endpoint: String?
    /// The calls that may run at once: the request, capped by the account's limit.
    let concurrency: Int
    /// The account's limits and the run's spending caps, for models.
    let limiter: RateLimiter?
    /// The tokenizer ratio in force and where it came from, for models.
    var tokenRatio: MeasuredTokenRatio? = nil
    /// What the store knows of remote batches, in `mode: batch`.
    var ledger: BatchLedger? = nil

    /// The estimator documents are cut and trees grown with, fixed for the run.
    var estimator: TokenEstimator { calibration.estimator }

    func shutdown() async {
        await client?.shutdown()
    }

    /// Builds the engine; for models, checks the key and finds the window before any file is read.
    /// - Parameters:
    ///   - account: the account's limits shared with a fleet's other workers, asked after this worker's own.
    ///   - kept: what the store holds about this model on this server; a token ratio kept there is
    ///     the one every later run (and every worker of a fleet) cuts with.
    static func make(_ settings: RunSettings, account: (any AccountGate)? = nil, kept: ServerFacts? = nil)
        async throws(PipelineError) -> Engine
    {
        let config = settings.config
        switch config.backend {
        case .extractive:
            return extractive(config, concurrency: settings.concurrency)
        case .openAICompatible:
            try await checkModel(config, client: nil)
            let client = try makeClient(settings)
            do { try await checkModel(config, client: client) } catch {
                await client.shutdown()
                throw error
            }
            let limiter = RateLimiter(limits: settings.rateLimits, spending: settings.options.limits.spending)
            let limited = LimitedTransport(
                inner: client, scheduler: Scheduler(limiter: limiter, policy: config.retries.policy, account: account),
                config: config)
            let ledger = config.mode == .batch ? BatchLedger(retries: config.batch.retries) : nil
            let transport: any ChatTransport =
                ledger.map { BatchTransport(online: limited, ledger: $0, config: config, limiter: limiter) } ?? limited
            do {
                var engine = try await makeLLM(
                    config, client: client, transport: transport, limiter: limiter, kept: kept)
                engine.ledger = ledger
                return engine
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    /// A client for the pipeline's server, with the key from the environment.
    static func makeClient(_ settings: RunSettings) throws(PipelineError) -> ChatClient {
        let llm = settings.config.llm
        let key = settings.apiKey
        if key == nil && llm.apiKeyRequired {
            throw PipelineError(
                .config,
                "\(llm.apiKeyEnv) is not set: export your API key in it, or run offline with --pipeline default")
        }
        return try settings.client(baseURL: settings.baseURL, key: key)
    }

    private static func makeLLM(
        _ config: PipelineConfig, client: ChatClient, transport: any ChatTransport,
        limiter: RateLimiter, kept: ServerFacts?
    ) async throws(PipelineError) -> Engine {
        let llm = config.llm
        var window: Int?
        var candidates: [ModelInfo] = []
        if llm.choice == .auto {
            candidates = await autoCandidates(client)
            window = candidates.first?.contextLength
        } else {
            window = await contextWindow(llm, client: client)
        }
        guard let window else {
            throw PipelineError(
                .config, "the context window of model '\(llm.model)' is unknown: set context_window in the pipeline")
        }
        let ratio = try await tokenRatio(llm, client: client, kept: kept)
        let calibration = TokenCalibration(ratio: ratio?.ratio ?? 1, cjkPerCharacter: ratio?.cjkPerCharacter)
        let summarizer = llmSummarizer(
            llm, window: window, candidates: candidates, transport: transport, calibration: calibration)
        return Engine(
            summarizer: summarizer, budget: try budget(summarizer, config: config), calibration: calibration,
            client: client,
            endpoint: client.configuration.baseURL, concurrency: limiter.limits.concurrency, limiter: limiter,
            tokenRatio: ratio)
    }

    /// The engine an estimate plans with: the same summarizer, fingerprint and budget a run gets,
    /// but no key, no network, and a transport that refuses every call.
    /// - Parameter learned: what an earlier run learned from the server, from the output folder's store.
    /// - Parameter counted: the ratio the server's counter gave just now, when a key let the estimate ask.
    static func planning(_ settings: RunSettings, learned: ServerFacts? = nil, counted: MeasuredTokenRatio? = nil)
        throws(PipelineError) -> Engine
    {
        let config = settings.config
        let concurrency = settings.concurrency
        guard config.backend == .openAICompatible else { return extractive(config, concurrency: concurrency) }
        let llm = config.llm
        let candidates =
            llm.choice == .auto
            ? autoModels.map { ModelInfo(id: $0, contextLength: ModelInfo.knownWindow(of: $0)) }
            : []
        let known = candidates.first?.contextLength ?? llm.contextWindow ?? ModelInfo.knownWindow(of: llm.model)
        guard let window = known ?? learned?.contextWindow else {
            throw PipelineError(
                .config,
                "the context window of model '\(llm.model)' is unknown without asking the server: set context_window in the pipeline, or run once"
            )
        }
        let ratio = counted ?? plannedTokenRatio(llm, learned: learned)
        let calibration = TokenCalibration(ratio: ratio?.ratio ?? 1, cjkPerCharacter: ratio?.cjkPerCharacter)
        let summarizer = llmSummarizer(
            llm, window: window, candidates: candidates, transport: RefusingTransport(), calibration: calibration)
        return Engine(
            summarizer: summarizer, budget: try budget(summarizer, config: config), calibration: calibration,
            client: nil, endpoint: nil, concurrency: concurrency, limiter: nil, tokenRatio: ratio)
    }

    /// The models `model: auto` chooses among, as Moonshot publishes them.
    static let autoModels = ["moonshot-v1-8k", "moonshot-v1-32k", "moonshot-v1-128k"]

    /// The offline engine; it needs nothing but the pipeline.
    private static func extractive(_ config: PipelineConfig, concurrency: Int) -> Engine {
        let e = config.extractive
        let summarizer = ExtractiveSummarizer(
            options: .init(mapTokens: e.mapTokens, reduceTokens: e.reduceTokens, finalTokens: e.finalTokens))
        return Engine(
            summarizer: summarizer, budget: config.chunking.chunkTokens ?? PipelineConfig.Chunking.extractiveDefault,
            calibration: TokenCalibration(), client: nil, endpoint: nil, concurrency: concurrency, limiter: nil)
    }

    /// The model summarizer a pipeline describes, for a run or for a plan.
    private static func llmSummarizer(
        _ llm: PipelineConfig.LLM, window: Int, candidates: [ModelInfo], transport: any ChatTransport,
        calibration: TokenCalibration
    ) -> LLMSummarizer {
        LLMSummarizer(
            options: .init(
                model: llm.model, contextWindow: window, candidates: candidates, temperature: llm.temperature,
                maxTokens: llm.maxTokens.byStage, stream: llm.stream, prompts: llm.prompts,
                thinking: llm.thinking.requested, reasoningTokens: llm.reasoningTokens,
                reasoningEffort: llm.reasoningEffort),
            transport: transport, calibration: calibration
        )
    }

    /// Chunk budget = W − max_tokens − prompt template − margin, for the largest stage (DESIGN invariant 2).
    private static func budget(_ summarizer: LLMSummarizer, config: PipelineConfig) throws(PipelineError) -> Int {
        let window = summarizer.options.contextWindow
        let largest = summarizer.options.candidates.last?.contextLength ?? window
        let reserve = Stage.allCases.map(summarizer.maxOutputTokens(for:)).max()! + summarizer.templateTokens()
        let derived = window - reserve - max(64, window / 50)
        let ceiling = largest - reserve - max(64, largest / 50)
        let budget = min(config.chunking.chunkTokens ?? derived, ceiling)
        guard budget >= 256 else {
            throw PipelineError(
                .config,
                "the \(window)-token window of \(config.llm.model) leaves only \(budget) tokens of text per call after max_tokens and the prompt; lower max_tokens"
            )
        }
        return budget
    }

    /// Moonshot's v1 models the server lists, smallest window first; the published ones if it lists none.
    private static func autoCandidates(_ client: ChatClient) async -> [ModelInfo] {
        let listed = (await client.listedModels() ?? []).filter { autoModels.contains($0.id) }
        let models = listed.isEmpty ? autoModels.map { ModelInfo(id: $0, contextLength: nil) } : listed
        return models.map { ModelInfo(id: $0.id, contextLength: $0.contextLength ?? ModelInfo.knownWindow(of: $0.id)) }
            .filter { $0.contextLength != nil }
            .sorted { $0.contextLength! < $1.contextLength! }
    }
}

/// The transport of a plan: an estimate never sends a request.
private struct RefusingTransport: ChatTransport {
    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        throw ChatAPIError(.invalidRequest, "an estimate makes no model call")
    }
}
