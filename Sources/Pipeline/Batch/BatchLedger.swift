import ChatAPI
import Checkpoint
import Foundation

/// What the store knows of every batch line, by call key, and the calls a step wants submitted.
///
/// Loaded once per step from the store, after the finished batches are collected: a call's key is
/// answered (its body waits to be stored as a call), waiting in a batch still in flight, out of
/// retries, or new. The trees then ask it about each call they need, and the new ones are gathered
/// for the next batches.
actor BatchLedger {
    /// What the store holds for a call key.
    enum Lookup: Sendable {
        /// A batch answered it.
        case answer(ChatCompletion)
        /// It is in a batch that has not ended.
        case waiting
        /// Its lines failed `retries + 1` times; the last error.
        case exhausted(String)
        /// No batch holds it, or its earlier lines failed or went unfinished: it goes into the next one.
        case new
    }

    /// A call to put into the next batch.
    struct Wanted: Sendable {
        var key: String
        var request: ChatRequest
        var document: String
    }

    private var answers: [String: (body: Data, model: String)] = [:]
    private var waiting: Set<String> = []
    private var failures: [String: (count: Int, error: String)] = [:]
    private var wanted: [String: Wanted] = [:]
    private var order: [String] = []
    private let retries: Int

    init(retries: Int) {
        self.retries = retries
    }

    /// Replaces what the ledger knows with the store's batch lines, and forgets what was wanted.
    func load(_ store: CheckpointStore) async throws {
        let jobs = Dictionary(try await store.batchJobs().map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        answers = [:]
        waiting = []
        failures = [:]
        wanted = [:]
        order = []
        for line in try await store.batchLines() {
            guard let job = jobs[line.job] else { continue }
            switch line.state {
            case .answered:
                if let body = line.answer { answers[line.key] = (body, job.model) }
            case .queued:
                if job.inFlight { waiting.insert(line.key) }
            case .failed:
                let count = (failures[line.key]?.count ?? 0) + 1
                failures[line.key] = (count, line.error ?? "the batch line failed")
            case .unfinished:
                break
            }
        }
    }

    func lookup(_ key: String) -> Lookup {
        if let answer = answers[key],
            let completion = try? ChatClient.decodeCompletion(Array(answer.body), model: answer.model)
        {
            return .answer(completion)
        }
        if waiting.contains(key) { return .waiting }
        if let failed = failures[key], failed.count > retries { return .exhausted(failed.error) }
        return .new
    }

    /// Records a call for the next batch; a key wanted twice is sent once.
    func want(_ call: Wanted) {
        guard wanted[call.key] == nil else { return }
        wanted[call.key] = call
        order.append(call.key)
    }

    /// The calls wanted this step, in the order first asked for.
    func wantedCalls() -> [Wanted] {
        order.compactMap { wanted[$0] }
    }

    /// Lines that failed and will be tried again, for the report.
    func retrying() -> Int {
        failures.values.filter { $0.count <= retries }.count
    }
}
