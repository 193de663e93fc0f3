import Dispatch

/// Runs the fake server's tasks on Dispatch threads of their own, off Swift's cooperative pool.
///
/// Tests block cooperative threads while a `precis` process they started talks to this server;
/// on a 2-core machine two such tests would otherwise starve the server and hang each other.
final class ServerExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = ServerExecutor()

    private let queue = DispatchQueue(label: "precis.fake-server", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
