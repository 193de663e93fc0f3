import ChatAPI
import Checkpoint
import Chunking
import Foundation
import Ingest
import Summarization

/// Works out what a run would do and cost: it walks, reads and chunks as a run would, and runs the
/// run's own tree against a ``PlanningExecutor``, so it makes no call and writes nothing.
public struct RunPlanner: Sendable {
    /// The pipeline with the command line's flags applied, as the run would see it.
    public let settings: RunSettings

    /// Seconds a model call is assumed to take: time to the first token, then tokens written per second.
    static let callOverhead = 2.0
    static let tokensPerSecond = 50.0
    /// Tokens per Chinese character as Moonshot counts them (1.5–2 characters a token), for expected
    /// figures; budgets keep the conservative estimator.
    static let expectedCJKTokens = 0.57

    public init(options: RunOptions, config: PipelineConfig) {
        settings = RunSettings(options: options, config: config)
    }

    var options: RunOptions { settings.options }
    var config: PipelineConfig { settings.config }

    /// The estimate; reads the store of the output directory, when there is one, without writing it.
    public func estimate() async throws(PipelineError) -> RunEstimate {
        let kept = try await KeptState.read(options.storeURL, settings: settings)
        let store = kept.store
        let learned = kept.learned
        let counted = await Engine.countedTokenRatio(settings)
        let engine = try Engine.planning(settings, learned: learned, counted: counted)
        let files = try settings.files()
        let previous = kept.previous
        // Text Kimi extracted in an earlier run is known; the rest is not, and nothing is uploaded.
        let path = DocumentPath(
            settings: settings, engine: engine,
            remote: config.readsThroughKimi ? RemoteReader(client: nil, store: store) : nil)
        let (lengths, reasoned) = try await kept.lengths(summarizer: engine.summarizer.fingerprint)
        let history = Dictionary(
            uniqueKeysWithValues: lengths.compactMap { key, value in Stage(rawValue: key).map { ($0, value) } })
        let reasoning = Dictionary(
            uniqueKeysWithValues: reasoned.compactMap { key, value in Stage(rawValue: key).map { ($0, value) } })
        var estimate = RunEstimate(pipeline: config.name, model: config.modelName, currency: config.currency)
        estimate.files = files.count
        estimate.concurrency = engine.concurrency
        let llm = engine.summarizer as? LLMSummarizer
        estimate.thinking = llm?.options.thinks ?? false
        estimate.effort = llm.flatMap { ModelFamily.of($0.options.model).effort($0.options.reasoningEffort)?.rawValue }
        estimate.tokenRatio = engine.tokenRatio?.ratio
        estimate.tokenRatioSource = engine.tokenRatio?.source
        estimate.tokenRatioCJK = engine.tokenRatio?.cjkPerCharacter
        estimate.strategy = config.strategy.rawValue
        // Model pipelines price the other strategy too: the same chunks, on paper, beside the run's own.
        let other = config.backend == .openAICompatible ? engine.strategy(config, as: config.otherStrategy) : nil
        let plans = await withTaskGroup(of: (Int, FilePlan).self) { group in
            for (index, file) in files.enumerated() {
                group.addTask {
                    (
                        index,
                        await plan(
                            file, order: index, previous: previous[file.id], path: path, store: store, history: history,
                            reasoning: reasoning, other: other)
                    )
                }
            }
            var plans = [FilePlan?](repeating: nil, count: files.count)
            for await (index, plan) in group { plans[index] = plan }
            return plans.compactMap { $0 }
        }
        var critical = 0.0
        var prefixes: Set<String> = []
        for (file, plan) in zip(files, plans) {
            switch plan {
            case .unchanged: estimate.unchanged += 1
            case .failing(let reason): estimate.failing[file.id] = reason
            case .summarize(let chunks, let levels, let calls, let reused, let otherCalls):
                if other != nil { add(otherCalls ?? calls, to: &estimate.alternative, strategy: config.otherStrategy) }
                estimate.toSummarize += 1
                estimate.chunks += chunks
                estimate.levels = max(estimate.levels, levels)
                estimate.callsStored += reused
                critical = max(critical, criticalPath(calls))
                add(calls, to: &estimate, prefixes: &prefixes)
            }
        }
        time(&estimate, critical: critical, engine: engine)
        return estimate
    }

    enum FilePlan: Sendable {
        case unchanged
        case failing(String)
        /// `otherCalls`: the calls the other strategy would make, when priced; nil when they are the same.
        case summarize(
            chunks: Int, levels: Int, calls: [PlanningExecutor.Planned], reused: Int,
            otherCalls: [PlanningExecutor.Planned]?)
    }

    private func plan(
        _ file: InputFile, order: Int, previous: FileState?, path: DocumentPath, store: CheckpointStore?,
        history: [Stage: Int], reasoning: [Stage: Int], other: (any DocumentStrategy)?
    ) async -> FilePlan {
        do {
            func planner() -> PlanningExecutor {
                PlanningExecutor(
                    store: store, conservative: path.engine.estimator, expected: Self.expected(path.engine.tokenRatio),
                    history: history, reasoningHistory: reasoning)
            }
            let executor = planner()
            let alongside = other.map { (strategy: $0, executor: planner()) }
            let grown: DocumentPath.Grown
            var otherCalls: [PlanningExecutor.Planned]?
            switch try await path.open(file, order: order, previous: previous) {
            case .unchanged: return .unchanged
            case .segmented(let segments, let hash):
                // A file read a segment at a time takes map-reduce whatever the strategy.
                grown = try await path.grow(file, segments: segments, hash: hash, order: order, executor: executor).1
            case .changed(let data, let hash):
                var document = try await path.load(file, data: data, hash: hash, order: order)
                grown = try await path.grow(
                    &document, executor: executor,
                    alongside: alongside.map { ($0.strategy, $0.executor as any CallExecutor) })
                otherCalls = alongside?.executor.planned
            }
            return .summarize(
                chunks: grown.chunks, levels: grown.result.levels, calls: executor.planned, reused: executor.reused,
                otherCalls: otherCalls)
        } catch {
            return .failing(FileJob.reason(error))
        }
    }

    /// Counts the calls; `prefixes` are the prompt prefixes earlier calls sent, which the platform's
    /// cache serves to later ones: only a prefix that really repeats is priced as a cache hit.
    private func add(_ calls: [PlanningExecutor.Planned], to estimate: inout RunEstimate, prefixes: inout Set<String>) {
        for call in calls {
            let cached = call.prefix.map { prefixes.insert($0).inserted ? 0 : call.prefixTokens } ?? 0
            estimate.cachedTokens += cached
            estimate.calls += 1
            estimate.promptTokens += call.promptTokens
            estimate.promptTokensMax += call.promptTokensMax
            estimate.completionTokens += call.completionTokens
            estimate.reasoningTokens += call.reasoningTokens
            estimate.completionTokensMax += call.maxTokens
            let online = config.cost(
                model: call.model, prompt: call.promptTokens, cached: cached, completion: call.completionTokens)
            estimate.costOnline += online
            estimate.cost += online * config.priceFactor
            estimate.costMax +=
                config.cost(model: call.model, prompt: call.promptTokensMax, completion: call.maxTokens)
                * config.priceFactor
        }
        estimate.cost = RunReport.roundedCost(estimate.cost)
        estimate.costMax = RunReport.roundedCost(estimate.costMax)
        estimate.costOnline = RunReport.roundedCost(estimate.costOnline)
        estimate.batch = config.mode == .batch
    }

    /// Counts the other strategy's calls, expected figures only.
    private func add(
        _ calls: [PlanningExecutor.Planned], to alternative: inout RunEstimate.Alternative?,
        strategy: PipelineConfig.Strategy
    ) {
        var total = alternative ?? RunEstimate.Alternative(strategy: strategy.rawValue)
        for call in calls {
            total.calls += 1
            total.promptTokens += call.promptTokens
            total.completionTokens += call.completionTokens
            total.cost +=
                config.cost(model: call.model, prompt: call.promptTokens, completion: call.completionTokens)
                * config.priceFactor
        }
        total.cost = RunReport.roundedCost(total.cost)
        alternative = total
    }

    /// The server's count of Latin text as the ratio measured it, without the margin budgets keep:
    /// prompt tokens as the run will be billed them. Chinese stays at Moonshot's published rate,
    /// which the measured one (framing counted in, for safety) overstates.
    static func expected(_ ratio: MeasuredTokenRatio?) -> TokenEstimator {
        guard let ratio, ratio.counted else {
            return TokenEstimator(cjkTokensPerCharacter: expectedCJKTokens, safety: 1)
        }
        // The ratio is the highest the fixed texts gave; within the estimator's own 5% it is noise,
        // and prose counts below it.
        let raw = ratio.ratio / TokenRatioProbe.margin
        let safety = raw > 1.05 ? raw : 1
        return TokenEstimator(cjkTokensPerCharacter: expectedCJKTokens / safety, safety: safety)
    }

    static func seconds(_ call: PlanningExecutor.Planned) -> Double {
        callOverhead + Double(call.completionTokens) / tokensPerSecond
    }

    /// The longest a document's tree takes with unlimited calls at once: its levels one after the
    /// other, and under `context: previous` each level's calls one after the other too.
    private func criticalPath(_ calls: [PlanningExecutor.Planned]) -> Double {
        let byLevel = Dictionary(grouping: calls, by: \.level)
        return byLevel.values.reduce(0) { total, level in
            let longest = level.map(Self.seconds).max() ?? 0
            return total
                + (config.context == .previous && config.backend == .openAICompatible
                    ? level.map(Self.seconds).reduce(0, +) : longest)
        }
    }

    /// The run's length: the most of the work spread over the calls allowed at once, the longest
    /// tree, and what the account's RPM, TPM and TPD let through.
    private func time(_ estimate: inout RunEstimate, critical: Double, engine: Engine) {
        guard config.backend == .openAICompatible else {
            // Offline calls take milliseconds; reading and extraction dominate.
            estimate.seconds = Double(estimate.promptTokensMax) / 400_000 / Double(max(1, engine.concurrency))
            estimate.boundBy = "offline: reading and ranking sentences, \(engine.concurrency) at once"
            return
        }
        let limits = settings.rateLimits
        let window = limits.window.seconds
        let work = Double(estimate.calls) * Self.callOverhead + Double(estimate.completionTokens) / Self.tokensPerSecond
        var bounds: [(Double, String)] = [
            (
                work / Double(limits.concurrency),
                "\(limits.concurrency) call(s) at once, ~\(Int(Self.callOverhead)) s + \(Int(Self.tokensPerSecond)) tokens/s each"
            ),
            (critical, "the deepest document's levels, one after another")
        ]
        if let rpm = limits.rpm {
            bounds.append((Double(estimate.calls) / Double(rpm) * window, "the account's \(rpm) requests per minute"))
        }
        let charged = estimate.promptTokensMax + estimate.completionTokensMax
        if let tpm = limits.tpm {
            bounds.append((Double(charged) / Double(tpm) * window, "the account's \(tpm) tokens per minute"))
        }
        if let tpd = limits.tpd, charged > tpd {
            bounds.append((Double(charged / tpd) * 86_400, "the account's \(tpd) tokens per day"))
        }
        if config.mode == .batch, let hours = Batch.hours(config.batch.completionWindow) {
            // One level a batch: each may take up to the whole window, and usually takes far less.
            bounds.append(
                (
                    Double(estimate.levels * hours) * 3600,
                    "\(estimate.levels) level(s) of batches, each within its \(config.batch.completionWindow) window; usually much less"
                ))
        }
        let (seconds, reason) = bounds.max { $0.0 < $1.0 }!
        estimate.seconds = seconds
        estimate.boundBy = "bound by " + reason
    }
}
