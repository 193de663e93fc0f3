import PrecisTesting
import Scheduling
import Testing

/// The limiter on a manual clock: no test here sleeps.
@Suite(.timeLimit(.minutes(1)))
struct RateLimiterTests {
    func request(_ tokens: Int = 100, max: Int = 0, document: Int = 0, cost: Double = 0) -> RateLimiter.Request {
        RateLimiter.Request(
            promptTokens: tokens, maxTokens: max, costBound: cost, priority: CallPriority(document: document, level: 0))
    }

    /// Starts an admission and reports whether it has got through.
    func pending(_ limiter: RateLimiter, _ request: RateLimiter.Request) -> (
        task: Task<RateLimiter.Ticket, any Error>, admitted: Locked<Bool>
    ) {
        let admitted = Locked(false)
        let task = Task {
            let ticket = try await limiter.admit(request)
            admitted.withLock { $0 = true }
            return ticket
        }
        return (task, admitted)
    }

    /// Lets other tasks run, so admissions and wake-ups settle.
    func settle() async {
        for _ in 0..<50 { await Task.yield() }
    }

    @Test func holdsRequestsPastTheConcurrencyUntilOneFinishes() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 2), clock: clock)
        let first = try await limiter.admit(request())
        _ = try await limiter.admit(request())
        let third = pending(limiter, request())
        await settle()
        #expect(!third.admitted.value)
        await limiter.finish(first, tokens: 100, cost: 0)
        _ = try await third.task.value
        #expect(await limiter.stats.peakInFlight == 2)
    }

    @Test func admitsAtMostRPMRequestsPerSlidingWindow() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 10, rpm: 3), clock: clock)
        for _ in 0..<3 { await limiter.finish(try await limiter.admit(request()), tokens: 0, cost: 0) }
        let fourth = pending(limiter, request())
        await settle()
        #expect(!fourth.admitted.value)
        clock.advance(by: .seconds(59))
        await settle()
        #expect(!fourth.admitted.value)
        clock.advance(by: .seconds(1))
        _ = try await fourth.task.value
        #expect(clock.now() == .seconds(60))
    }

    @Test func countsARequestInFlightUntilAWindowAfterItsAnswer() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 10, rpm: 1), clock: clock)
        let slow = try await limiter.admit(request())
        let next = pending(limiter, request())
        clock.advance(by: .seconds(90))
        await settle()
        #expect(!next.admitted.value, "still in flight, so the server may still count it")
        await limiter.finish(slow, tokens: 10, cost: 0)
        clock.advance(by: .seconds(59))
        await settle()
        #expect(!next.admitted.value)
        clock.advance(by: .seconds(1))
        _ = try await next.task.value
    }

    @Test func chargesPromptPlusMaxTokensAgainstTPM() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 10, tpm: 1000), clock: clock)
        await limiter.finish(try await limiter.admit(request(300, max: 100)), tokens: 0, cost: 0)
        clock.advance(by: .seconds(10))
        await limiter.finish(try await limiter.admit(request(300, max: 100)), tokens: 0, cost: 0)
        let third = pending(limiter, request(300, max: 100))
        await settle()
        #expect(!third.admitted.value, "800 charged + 400 is over 1000")
        clock.advance(by: .seconds(49))
        await settle()
        #expect(!third.admitted.value)
        clock.advance(by: .seconds(1))
        _ = try await third.task.value
        #expect(clock.now() == .seconds(60))
    }

    @Test func correctsAChargeToWhatTheServerCounted() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 10, tpm: 1000), clock: clock)
        // Estimated at 500 + 100, but the server counted a 200-token prompt: 300 charged, 700 left.
        await limiter.finish(try await limiter.admit(request(500, max: 100)), tokens: 250, cost: 0, chargedPrompt: 200)
        _ = try await limiter.admit(request(500, max: 100))
        #expect(clock.now() == .zero)
    }

    @Test func halvesConcurrencyWhenThrottledAndGrowsItBack() async throws {
        let limiter = RateLimiter(limits: RateLimits(concurrency: 8), clock: ManualClock())
        var tickets: [RateLimiter.Ticket] = []
        for _ in 0..<8 { tickets.append(try await limiter.admit(request())) }
        await limiter.throttle(for: .zero)
        #expect(await limiter.stats.allowedConcurrency == 4)
        for ticket in tickets { await limiter.finish(ticket, tokens: 10, cost: 0) }
        #expect(await limiter.stats.allowedConcurrency > 4)
    }

    @Test func refusesARequestLargerThanTPMOutright() async {
        let limiter = RateLimiter(limits: RateLimits(concurrency: 1, tpm: 1000), clock: ManualClock())
        await #expect { try await limiter.admit(request(900, max: 200)) } throws: {
            ($0 as? SchedulingError)?.code == .tooLarge
        }
    }

    @Test func stopsTheRunWhenTheDailyLimitWouldBePassed() async throws {
        let limiter = RateLimiter(limits: RateLimits(concurrency: 5, tpd: 1000), clock: ManualClock())
        await limiter.finish(try await limiter.admit(request(600)), tokens: 600, cost: 0)
        await #expect { try await limiter.admit(request(600)) } throws: {
            ($0 as? SchedulingError)?.code == .stopped && String(describing: $0).contains("TPD")
        }
        await #expect(throws: SchedulingError.self) { try await limiter.admit(request(1)) }
    }

    @Test func aServer429PausesEveryone() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 5), clock: clock)
        await limiter.pause(for: .seconds(5))
        let waiting = pending(limiter, request())
        await settle()
        #expect(!waiting.admitted.value)
        clock.advance(by: .seconds(5))
        _ = try await waiting.task.value
        #expect(await limiter.stats.pauses == 1)
    }

    @Test func aStopFailsWaitersAndLaterRequestsButLetsInFlightFinish() async throws {
        let limiter = RateLimiter(limits: RateLimits(concurrency: 1), clock: ManualClock())
        let running = try await limiter.admit(request())
        let waiting = pending(limiter, request())
        await settle()
        await limiter.stop("balance exhausted")
        await #expect(throws: SchedulingError.self) { try await waiting.task.value }
        await #expect(throws: SchedulingError.self) { try await limiter.admit(request()) }
        await limiter.finish(running, tokens: 100, cost: 0)
        #expect(await limiter.stopped == "balance exhausted")
    }

    @Test func admitsWaitersByPriority() async throws {
        let limiter = RateLimiter(limits: RateLimits(concurrency: 1), clock: ManualClock())
        let holder = try await limiter.admit(request())
        let order = Locked<[Int]>([])
        var tasks: [Task<Void, any Error>] = []
        for document in [3, 1, 2] {
            tasks.append(
                Task {
                    let ticket = try await limiter.admit(request(document: document))
                    order.withLock { $0.append(document) }
                    await limiter.finish(ticket, tokens: 0, cost: 0)
                })
            await settle()
        }
        await limiter.finish(holder, tokens: 0, cost: 0)
        for task in tasks { try await task.value }
        #expect(order.value == [1, 2, 3])
    }

    @Test func stopsAdmittingOnceATokenBudgetWouldBeExceeded() async throws {
        let limiter = RateLimiter(
            limits: RateLimits(concurrency: 2), spending: SpendingLimits(maxTokens: 1000), clock: ManualClock())
        let first = try await limiter.admit(request(400, max: 200))
        // 600 pending + 600 would pass 1000, but the first may bill less: wait for it.
        let second = pending(limiter, request(400, max: 200))
        await settle()
        #expect(!second.admitted.value)
        await limiter.finish(first, tokens: 300, cost: 0)
        let ticket = try await second.task.value
        await limiter.finish(ticket, tokens: 300, cost: 0)
        await #expect { try await limiter.admit(request(400, max: 200)) } throws: {
            String(describing: $0).contains("token budget")
        }
    }

    @Test func stopsAdmittingOnceACostBudgetWouldBeExceeded() async throws {
        let limiter = RateLimiter(
            limits: RateLimits(concurrency: 2), spending: SpendingLimits(maxCost: 1.0), clock: ManualClock())
        await limiter.finish(try await limiter.admit(request(cost: 0.6)), tokens: 100, cost: 0.6)
        await #expect { try await limiter.admit(request(cost: 0.6)) } throws: {
            String(describing: $0).contains("cost budget")
        }
    }

    @Test func knowsMoonshotsTiers() {
        #expect(RateLimits.tier(0) == RateLimits(concurrency: 1, rpm: 3, tpm: 500_000, tpd: 1_500_000))
        #expect(RateLimits.tier(1)?.tpd == nil)
        #expect(RateLimits.tier(5)?.rpm == 10_000)
        #expect(RateLimits.tier(6) == nil)
    }

    @Test func whatTheServerSaysIsLeftCapsOurShareOfEachWindow() async throws {
        let clock = ManualClock()
        // Our own count allows 100 a minute; the server says 1 is left after our first: another
        // client spends the rest, so 2 a minute are ours.
        let limiter = RateLimiter(limits: RateLimits(concurrency: 4, rpm: 100), clock: clock)
        let first = try await limiter.admit(request())
        await limiter.finish(first, tokens: 10, cost: 0, serverBudget: ServerBudget(remaining: 1))
        clock.advance(by: .seconds(10))
        let second = try await limiter.admit(request())
        let third = pending(limiter, request())
        await settle()
        #expect(!third.admitted.value, "two in the window are our share")
        clock.advance(by: .seconds(49))
        await settle()
        #expect(!third.admitted.value)
        clock.advance(by: .seconds(1))
        let ticket = try await third.task.value
        #expect(clock.now() == .seconds(60), "admitted as the first leaves the window")
        // The other client slows down: the next answer says more is left, and the share grows.
        await limiter.finish(second, tokens: 10, cost: 0)
        await limiter.finish(ticket, tokens: 10, cost: 0, serverBudget: ServerBudget(remaining: 5))
        for _ in 0..<5 { await limiter.finish(try await limiter.admit(request()), tokens: 10, cost: 0) }
        let over = pending(limiter, request())
        await settle()
        #expect(!over.admitted.value, "the second, seen before it, + this one + 5 left: 7 a window, and 7 are in it")
        clock.advance(by: .seconds(60))
        _ = try await over.task.value
    }

    @Test func oneOfOursStillInFlightWhenAnotherIsAnsweredIsNotTakenAsCounted() async throws {
        let clock = ManualClock()
        // The account allows 3 a window and another client spends 1. Two of ours go out together;
        // the server sees the later one first and says 1 is left.
        let limiter = RateLimiter(limits: RateLimits(concurrency: 4, rpm: 100), clock: clock)
        let early = try await limiter.admit(request())
        let late = try await limiter.admit(request())
        await limiter.finish(late, tokens: 10, cost: 0, serverBudget: ServerBudget(remaining: 1))
        await limiter.finish(early, tokens: 10, cost: 0, serverBudget: ServerBudget(remaining: 0))
        let third = pending(limiter, request())
        await settle()
        #expect(!third.admitted.value, "counting the early one as seen would make our share 3 and collide")
        clock.advance(by: .seconds(60))
        _ = try await third.task.value
    }

    @Test func aServer429LowersTheShareByOneUntilAnswersShowMore() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 4, rpm: 100), clock: clock)
        await limiter.finish(
            try await limiter.admit(request()), tokens: 10, cost: 0, serverBudget: ServerBudget(remaining: 2))
        let second = try await limiter.admit(request())
        let third = try await limiter.admit(request())
        await limiter.throttle(for: .seconds(1))
        clock.advance(by: .seconds(1))
        await limiter.finish(second, tokens: 0, cost: 0)
        await limiter.finish(third, tokens: 0, cost: 0)
        let held = pending(limiter, request())
        await settle()
        #expect(!held.admitted.value, "a share of 3 lowered to 2 after the 429, and 3 are in the window")
        clock.advance(by: .seconds(59))
        await settle()
        #expect(!held.admitted.value, "the first has left the window, but two are still in it")
        clock.advance(by: .seconds(1))
        _ = try await held.task.value
        #expect(clock.now() == .seconds(61))
    }

    @Test func withoutHeadersTheLimiterKeepsItsOwnCount() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: RateLimits(concurrency: 4, rpm: 100), clock: clock)
        for _ in 0..<4 { await limiter.finish(try await limiter.admit(request()), tokens: 10, cost: 0) }
        #expect(await limiter.stats.admitted == 4)
    }
}
