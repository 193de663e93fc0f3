import Dispatch
import Scheduling
import Synchronization

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
    ///
    /// A cancelled caller stops waiting at once (an abandoned run must not wait for a long OCR);
    /// the work itself runs to its end on its thread, and its result is dropped.
    func run<T: Sendable, E: Error>(order: Int, _ work: @escaping @Sendable () throws(E) -> T) async throws -> T {
        try await slots.run(priority: CallPriority(document: order, level: 0)) {
            let waiter = Waiter<T>()
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    waiter.set(continuation)
                    queue.async {
                        do throws(E) { waiter.resume(.success(try work())) } catch { waiter.resume(.failure(error)) }
                    }
                }
            } onCancel: {
                waiter.resume(.failure(CancellationError()))
            }
        }
    }

    /// A continuation resumed once, by the work or by cancellation, whichever comes first.
    private final class Waiter<T: Sendable>: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, early: Result<T, any Error>?)>(
            (nil, nil))

        func set(_ continuation: CheckedContinuation<T, any Error>) {
            let early = state.withLock { s -> Result<T, any Error>? in
                if let early = s.early {
                    s.early = nil
                    return early
                }
                s.continuation = continuation
                return nil
            }
            // Cancelled before the continuation existed.
            if let early { continuation.resume(with: early) }
        }

        func resume(_ result: Result<T, any Error>) {
            let continuation = state.withLock { s -> CheckedContinuation<T, any Error>? in
                defer { s.continuation = nil }
                if s.continuation == nil && s.early == nil { s.early = result }
                return s.continuation
            }
            continuation?.resume(with: result)
        }
    }
}
