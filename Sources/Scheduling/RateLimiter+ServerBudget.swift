extension RateLimiter {
    /// Takes the server's word on what is left: the latest answer's count, less the requests
    /// still in flight, which it may not have seen yet.
    func observe(_ budget: ServerBudget) {
        serverLeft = (max(0, budget.remaining - inFlight), clock.now() + budget.reset)
    }
}
