import ChatAPI
import Checkpoint
import Chunking
import Summarization

extension Engine {
    /// The model's window: the pipeline's, else the known table's, else what the server says:
    /// llama-server's `/props` (the `--ctx-size` it runs with), then `/models` (vLLM's
    /// `max_model_len`), where a server serving one model under any name counts as naming it.
    static func contextWindow(_ llm: PipelineConfig.LLM, client: ChatClient) async -> Int? {
        if let window = llm.contextWindow ?? ModelInfo.knownWindow(of: llm.model) { return window }
        if let window = await client.serverContextWindow() { return window }
        guard let listed = await client.listedModels() else { return nil }
        let named = listed.first { $0.id == llm.model } ?? (listed.count == 1 ? listed.first : nil)
        return named?.contextLength
    }

    /// The ratio a run cuts with, fixed before its first chunk: the pipeline's number; else the
    /// one the store kept from the first run that measured this model on this server; else the
    /// server's count now, which the run then keeps.
    /// - Throws: a `.stopped` error when the server refuses the key while counting.
    static func tokenRatio(_ llm: PipelineConfig.LLM, client: ChatClient, kept: ServerFacts? = nil)
        async throws(PipelineError) -> MeasuredTokenRatio?
    {
        let setting = llm.tokenRatio ?? .auto
        if let fixed = setting.fixed { return fixed }
        if let kept = keptRatio(kept) { return kept }
        do {
            if let measured = try await TokenRatioProbe.measure(client, model: llm.model, estimator: TokenEstimator()) {
                return measured
            }
            return MeasuredTokenRatio(ratio: 1, source: "none: the server counts no tokens and reports no usage")
        } catch let error as ChatAPIError where error.disposition == .stopRun {
            throw PipelineError(.stopped, error.message, cause: error)
        } catch {
            // The calls will meet the same trouble and report it per file; budgets fall back to the estimate.
            return MeasuredTokenRatio(ratio: 1, source: "none: counting failed (\(error))")
        }
    }

    /// The ratio `token_ratio: auto` gives when a key lets an estimate ask the server's counter,
    /// which is free: the same fixed texts a run counts, so the estimate cuts as the run will.
    /// Nil without a key, for a fixed ratio, or when counting fails (the estimate then says so).
    static func countedTokenRatio(_ settings: RunSettings) async -> MeasuredTokenRatio? {
        let llm = settings.config.llm
        guard settings.config.backend == .openAICompatible, llm.tokenRatio?.fixed == nil, llm.choice != .auto,
            settings.apiKey != nil, let client = try? makeClient(settings)
        else { return nil }
        let measured = try? await TokenRatioProbe.measure(client, model: llm.model, estimator: TokenEstimator())
        await client.shutdown()
        return measured.flatMap { $0 }.map {
            MeasuredTokenRatio(
                ratio: $0.ratio, cjkPerCharacter: $0.cjkPerCharacter,
                source: "the server's count, asked now (\($0.source))", counted: true)
        }
    }

    /// The ratio an estimate plans with: the pipeline's number, or what the last run measured.
    static func plannedTokenRatio(_ llm: PipelineConfig.LLM, learned: ServerFacts?) -> MeasuredTokenRatio? {
        if let fixed = llm.tokenRatio?.fixed { return fixed }
        return keptRatio(learned)
            ?? MeasuredTokenRatio(
                ratio: 1, source: "not yet measured: a run asks the server, then estimates use its answer")
    }

    /// The ratio a store kept, as the run puts it in force.
    private static func keptRatio(_ facts: ServerFacts?) -> MeasuredTokenRatio? {
        guard let facts, let ratio = facts.tokenRatio else { return nil }
        return MeasuredTokenRatio(
            ratio: ratio, cjkPerCharacter: facts.cjkPerCharacter,
            source: "kept in the store (\(facts.ratioSource ?? "the server"))", counted: true)
    }

    /// What this run learned from its server, for the store; nil offline.
    var learned: ServerFacts? {
        guard let endpoint, let summarizer = summarizer as? LLMSummarizer, !summarizer.options.isAuto else {
            return nil
        }
        let measured = tokenRatio.flatMap { $0.counted ? $0 : nil }
        return ServerFacts(
            server: endpoint, model: summarizer.options.model, contextWindow: summarizer.options.contextWindow,
            tokenRatio: measured?.ratio, cjkPerCharacter: measured?.cjkPerCharacter, ratioSource: measured?.source)
    }
}
