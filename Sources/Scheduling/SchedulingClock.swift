/// The time source of the scheduler, injectable so limits and backoff are tested without sleeping.
public protocol SchedulingClock: Sendable {
    /// Time since a fixed origin.
    func now() -> Duration
    /// Suspends until `now()` has advanced by `duration`; throws if the task is cancelled.
    func sleep(for duration: Duration) async throws
    /// Suspends until `now()` reaches `deadline`; throws if the task is cancelled.
    func sleep(until deadline: Duration) async throws
}

/// Real time, from `ContinuousClock`.
public struct SystemClock: SchedulingClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }

    public func sleep(until deadline: Duration) async throws {
        try await Task.sleep(until: origin + deadline, clock: .continuous)
    }
}
