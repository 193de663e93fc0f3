import Checkpoint
import Foundation
import Ingest

extension FolderRun {
    /// What a step knows before it summarizes anything.
    struct Start: Sendable {
        /// What earlier runs left, by path.
        let previous: [String: FileState]
        /// Outputs whose inputs are gone, kept because `--prune` was not given.
        let kept: [FileState]
        /// Outputs removed because their inputs are gone.
        let pruned: [String]
    }

    /// Reads what earlier runs left, keeps what the engine learned, and prunes or keeps gone inputs.
    func open(_ store: any RunStore, files: [InputFile], engine: Engine) async throws(PipelineError) -> Start {
        let previous: [String: FileState]
        do {
            previous = Dictionary(try await store.fileStates().map { ($0.path, $0) }, uniquingKeysWith: { $1 })
            if let learned = engine.learned { try await store.save(learned) }
        } catch {
            throw PipelineError(
                .output, "cannot use the output directory \(options.outputDirectory.path)", cause: error)
        }
        let present = Set(files.map(\.id))
        let gone = previous.values.filter { !present.contains($0.path) }.sorted { $0.path < $1.path }
        if options.prune {
            return Start(previous: previous, kept: [], pruned: try await prune(gone, store: store))
        }
        return Start(previous: previous, kept: gone.filter { $0.status == .ok && $0.outputPath != nil }, pruned: [])
    }

    /// Records the step's start in the store.
    func record(started: Date, in store: any RunStore) async throws(PipelineError) -> RunRecord {
        let inputs = options.inputs.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        do {
            return try await store.begin(
                RunRecord(
                    startedAt: started, pipeline: config.name, pid: Int(getpid()), inputs: inputs,
                    currency: config.currency, walk: options.ingest.json))
        } catch {
            throw PipelineError(.output, "cannot record the run", cause: error)
        }
    }

    /// The step's first lines: what runs, on what, and what it leaves out.
    func logStart(files: Int, engine: Engine, kept: [FileState]) throws(PipelineError) {
        var limits = ""
        if let l = engine.limiter?.limits {
            limits = [l.rpm.map { "rpm \($0)" }, l.tpm.map { "tpm \($0)" }, l.tpd.map { "tpd \($0)" }].compactMap { $0 }
                .joined(separator: ", ")
            limits = limits.isEmpty ? "" : " (\(limits))"
        }
        let at = engine.endpoint.map { " at \($0)" } ?? ""
        let ratio =
            engine.tokenRatio.map { measured in
                let cjk = measured.cjkPerCharacter.map { String(format: ", %.2f per CJK character", $0) } ?? ""
                return ", token ratio \(String(format: "%.2f", measured.ratio))\(cjk) (\(measured.source))"
            } ?? ""
        logger.info(
            "\(files) file(s), pipeline \(config.name), model \(config.modelName)\(at), \(engine.budget)-token chunks\(ratio), concurrency \(engine.concurrency)\(limits), output \(options.outputDirectory.path)",
            metadata: ["stage": "start", "files": "\(files)"])
        let unread = try settings.officeFilesWithoutKey()
        if !unread.isEmpty {
            logger.warning(
                "skipped \(unread.count) office, EPUB or HTML file(s) (\(unread.prefix(3).map(\.id).joined(separator: ", "))\(unread.count > 3 ? ", …" : "")): formats: kimi reads them through Kimi's file extraction, and MOONSHOT_API_KEY is not set"
            )
        }
        if !kept.isEmpty {
            logger.info("kept \(kept.count) output(s) whose inputs are gone; --prune removes them")
        }
    }

    /// Warns when the key would cross the network unencrypted.
    func warnIfInsecure(_ engine: Engine) {
        guard let server = engine.client?.configuration, server.sendsKeyInTheClear else { return }
        logger.warning(
            "allow_insecure_http: the API key goes over plain http:// to \(URL(string: server.baseURL)?.host ?? server.baseURL), readable by anyone on the network between"
        )
    }
}
