extension RateLimiter {
    /// Charges a request that bypasses the account's rate limits (a line of a remote batch) to the
    /// run's spending caps, at its upper bound; past a cap the run stops, as for an online call.
    /// - Throws: ``SchedulingError`` `.stopped` when the run has stopped or this charge would pass a cap.
    public func spend(tokens: Int, cost: Double) throws(SchedulingError) {
        if let stopReason { throw SchedulingError(.stopped, stopReason) }
        if let over = overBudget(tokens: tokens, cost: cost) {
            stopReason = over
            throw SchedulingError(.stopped, over)
        }
        spentTokens += tokens
        spentCost += cost
    }

    /// Why charging `tokens` and `cost` now would pass a spending cap, if it would.
    func overBudget(tokens: Int, cost: Double) -> String? {
        if let max = spending.maxTokens, spentTokens + pendingTokens + tokens > max {
            return "the token budget of \(max) would be exceeded (\(spentTokens) spent)"
        }
        if let max = spending.maxCost, spentCost + pendingCost + cost > max {
            return "the cost budget of \(max) would be exceeded (\(spentCost) spent)"
        }
        return nil
    }
}
