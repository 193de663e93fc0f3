import Dispatch
import Scheduling

/// Runs ingest work (reading, hashing, PDF extraction, OCR) on threads of its own, `jobs` at once.
///
/// Poppler and hashing block for as long as a page or a file takes; on the cooperative pool they
/// would stall the run's calls, so they go to Dispatch threads, bounded by the same priority pool
/// type the calls use. A poppler document stays on the one thread that opened it.
final class IngestPool: Sendable {
    let jobs: Int
    private let slots: WorkPool
    private let queue = DispatchQueue(label: "precis.ingest", qos: .userInitiated, attributes: .concurrent)

    init(jobs: Int) {
        self.jobs = max(1, jobs)
        slots = WorkPool(concurrency: max(1, jobs))
    }

    /// Runs `work` on an ingest thread once one of the `jobs` slots is free; earlier documents first.
    func run<T: Sendable, E: Error>(order: Int, _ work: @escaping @Sendable () throws(E) -> T) async throws -> T {
        try await slots.run(priority: CallPriority(document: order, level: 0)) {
            let result: Result<T, E> = await withCheckedContinuation { continuation in
                queue.async {
                    do throws(E) { continuation.resume(returning: .success(try work())) } catch { continuation.resume(returning: .failure(error)) }
                }
            }
            return try result.get()
        }
    }
}
