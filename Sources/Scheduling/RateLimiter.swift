/// Admits requests under an account's limits, charging each as the server does: prompt tokens +
/// `max_tokens` against RPM, TPM and TPD the moment it is admitted.
///
/// A request waits for admission rather than being sent to fail. Waiters are admitted strictly by
/// ``CallPriority``, so a large request is not starved by small ones. A server 429 pauses everyone
/// (the server's view wins over ours); a stop (quota gone, daily limit, spending cap) fails every
/// waiter and every later request, while requests in flight finish.
public actor RateLimiter {
    /// What a request will be charged.
    public struct Request: Sendable {
        public var promptTokens: Int
        public var maxTokens: Int
        /// The most the request can cost: its prompt and all of `maxTokens` at the model's prices.
        public var costBound: Double
        public var priority: CallPriority

        public init(
            promptTokens: Int, maxTokens: Int, costBound: Double = 0,
            priority: CallPriority = CallPriority(document: 0, level: 0)
        ) {
            self.promptTokens = promptTokens
            self.maxTokens = maxTokens
            self.costBound = costBound
            self.priority = priority
        }

        public var charge: Int { promptTokens + maxTokens }
    }

    /// An admitted request; hand it back with ``finish(_:tokens:cost:charged:)``.
    public struct Ticket: Sendable {
        let id: Int
        let charge: Int
        let maxTokens: Int
        let costBound: Double
    }

    /// Counters for reports and benchmarks.
    public struct Stats: Sendable {
        public var admitted = 0
        public var peakInFlight = 0
        public var pauses = 0
        /// The concurrency in force now; lower than the limit after the server throttled us.
        public var allowedConcurrency = 0
    }

    public nonisolated let limits: RateLimits
    public nonisolated let spending: SpendingLimits
    let clock: any SchedulingClock

    var inFlight = 0
    private var allowed: Int
    private var successes = 0
    var recent: [Entry] = []
    private var today: [Entry] = []
    private var nextTicket = 0
    private var pausedUntil: Duration = .zero
    /// What each answer of the last window showed at least is ours of the account's requests a
    /// window, beside whoever else spends it (RateLimiter+ServerBudget.swift).
    var shares: [(at: Duration, share: Int)] = []
    // The spending caps (RateLimiter+Spending.swift) read and write these too.
    var stopReason: String?
    var spentTokens = 0, spentCost = 0.0
    var pendingTokens = 0, pendingCost = 0.0
    private var waiters: [Waiter] = []
    private var sequence = 0
    var timer: (deadline: Duration, task: Task<Void, Never>)?
    public private(set) var stats = Stats()

    struct Entry {
        var id: Int
        var at: Duration
        var tokens: Int
        /// When the answer came back; nil while in flight. The server's window for a request starts
        /// when it arrives there, which is always before this, so expiring from here is never early.
        var finished: Duration?
    }

    private struct Waiter {
        var id: Int
        var request: Request
        var continuation: CheckedContinuation<Ticket, any Error>
    }

    private enum Verdict {
        case admit
        case wait(until: Duration?)
        case fail(SchedulingError)
    }

    public init(
        limits: RateLimits, spending: SpendingLimits = SpendingLimits(), clock: any SchedulingClock = SystemClock()
    ) {
        self.limits = limits
        self.spending = spending
        self.clock = clock
        self.allowed = limits.concurrency
        self.stats.allowedConcurrency = limits.concurrency
    }

    /// Why the limiter stopped admitting, once it has.
    public var stopped: String? { stopReason }

    /// Waits until `request` may be sent under every limit, then charges it.
    /// - Throws: ``SchedulingError`` when the run has stopped or the request can never fit;
    ///   `CancellationError` when the waiting task is cancelled.
    public func admit(_ request: Request) async throws -> Ticket {
        try Task.checkCancellation()
        if waiters.isEmpty {
            switch verdict(request, at: clock.now()) {
            case .admit: return take(request)
            case .fail(let error): throw error
            case .wait: break
            }
        }
        sequence += 1
        let id = sequence
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(id: id, request: request, continuation: continuation))
                pump()
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Returns a ticket after its request ended.
    /// - Parameters:
    ///   - tokens: what was billed (prompt + completion), 0 if it failed.
    ///   - cost: what was billed, in money.
    ///   - charged: the server's own count of the prompt, when it said; the window entry is
    ///     corrected to what the server charged (that prompt + `max_tokens`), so no capacity is
    ///     left unused for our conservative estimate.
    ///   - serverBudget: what the server said is left of the account's requests (`X-RateLimit-*`):
    ///     with our own requests it counted, that is our share of each window, and no more is
    ///     admitted, so another client on the same key is not collided with.
    public func finish(
        _ ticket: Ticket, tokens: Int, cost: Double, chargedPrompt: Int? = nil, serverBudget: ServerBudget? = nil
    ) {
        inFlight -= 1
        if let serverBudget { observe(serverBudget, for: ticket) }
        pendingTokens -= ticket.charge
        pendingCost -= ticket.costBound
        spentTokens += tokens
        spentCost += cost
        if let i = recent.lastIndex(where: { $0.id == ticket.id }) {
            recent[i].finished = clock.now()
            if let prompt = chargedPrompt { recent[i].tokens = min(ticket.charge, prompt + ticket.maxTokens) }
        }
        if let prompt = chargedPrompt, let i = today.lastIndex(where: { $0.id == ticket.id }) {
            today[i].tokens = min(ticket.charge, prompt + ticket.maxTokens)
        }
        if tokens > 0 {
            // Additive increase: one slot back for each run of successes as long as the allowance.
            successes += 1
            if allowed < limits.concurrency, successes >= allowed {
                allowed += 1
                successes = 0
                stats.allowedConcurrency = allowed
            }
        }
        pump()
    }

    /// Holds every admission for `duration`, as a server's 429 asks.
    public func pause(for duration: Duration) {
        let until = clock.now() + duration
        if until > pausedUntil {
            pausedUntil = until
            stats.pauses += 1
        }
        pump()
    }

    /// The server said we are over a limit: pause everyone and halve the concurrency (it grows back
    /// one slot at a time), so a limit we were not told of is found instead of hammered.
    public func throttle(for duration: Duration) {
        allowed = max(1, min(allowed, inFlight + 1) / 2)
        successes = 0
        lowerShare(at: clock.now())
        stats.allowedConcurrency = allowed
        pause(for: duration)
    }

    /// Stops admitting for the rest of the run; waiting requests fail with `reason`.
    public func stop(_ reason: String) {
        if stopReason == nil { stopReason = reason }
        pump()
    }

    private func take(_ request: Request) -> Ticket {
        let now = clock.now()
        nextTicket += 1
        inFlight += 1
        recent.append(Entry(id: nextTicket, at: now, tokens: request.charge, finished: nil))
        // The day's charges are kept only when there is a daily limit to hold them against.
        if limits.tpd != nil { today.append(Entry(id: nextTicket, at: now, tokens: request.charge, finished: now)) }
        pendingTokens += request.charge
        pendingCost += request.costBound
        stats.admitted += 1
        stats.peakInFlight = max(stats.peakInFlight, inFlight)
        return Ticket(
            id: nextTicket, charge: request.charge, maxTokens: request.maxTokens, costBound: request.costBound)
    }

    /// Admits waiters from the head of the queue while they fit; arms a timer for the first that does not.
    func pump() {
        while let index = bestWaiter() {
            let waiter = waiters[index]
            switch verdict(waiter.request, at: clock.now()) {
            case .admit:
                waiters.remove(at: index)
                waiter.continuation.resume(returning: take(waiter.request))
            case .fail(let error):
                waiters.remove(at: index)
                waiter.continuation.resume(throwing: error)
            case .wait(let until):
                if let until { arm(until) }
                return
            }
        }
    }

    private func bestWaiter() -> Int? {
        waiters.indices.min { a, b in
            let pa = waiters[a].request.priority
            let pb = waiters[b].request.priority
            return pa != pb ? pa < pb : waiters[a].id < waiters[b].id
        }
    }

    private func verdict(_ request: Request, at now: Duration) -> Verdict {
        if let stopReason { return .fail(SchedulingError(.stopped, stopReason)) }
        let charge = request.charge
        if let tpm = limits.tpm, charge > tpm {
            return .fail(
                SchedulingError(.tooLarge, "a request of \(charge) tokens is over the account's TPM of \(tpm)"))
        }
        if let over = overBudget(tokens: charge, cost: request.costBound) {
            // In-flight calls may bill less than charged; decide once they are done.
            if pendingTokens > 0 { return .wait(until: nil) }
            return stopNow(over)
        }
        if let tpd = limits.tpd {
            today.removeAll { now - $0.at >= .seconds(86_400) }
            if today.reduce(0, { $0 + $1.tokens }) + charge > tpd {
                return stopNow("the account's daily token limit (TPD \(tpd)) is reached; run again tomorrow to resume")
            }
        }
        if now < pausedUntil { return .wait(until: pausedUntil) }
        if inFlight >= allowed { return .wait(until: nil) }
        let window = limits.window
        recent.removeAll { $0.finished.map { now - $0 >= window } ?? false }
        // When each entry leaves the window; requests in flight leave only after they finish.
        let expiries = recent.compactMap { $0.finished.map { $0 + window } }.sorted()
        if let rpm = [limits.rpm, serverShare(at: now)].compactMap({ $0 }).min(), recent.count >= rpm {
            let needed = recent.count - rpm + 1
            return .wait(until: expiries.count >= needed ? expiries[needed - 1] : nil)
        }
        if let tpm = limits.tpm {
            var used = recent.reduce(0) { $0 + $1.tokens }
            if used + charge > tpm {
                // The earliest moment enough finished charges have left the window.
                let finished = recent.filter { $0.finished != nil }.sorted { $0.finished! < $1.finished! }
                for entry in finished {
                    used -= entry.tokens
                    if used + charge <= tpm { return .wait(until: entry.finished! + window) }
                }
                return .wait(until: nil)
            }
        }
        return .admit
    }

    private func stopNow(_ reason: String) -> Verdict {
        stopReason = reason
        return .fail(SchedulingError(.stopped, reason))
    }

    private func cancel(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
        pump()
    }
}
