extension RateLimiter {
    /// Takes the server's word on how many requests a window are ours to send.
    ///
    /// What the server says is left, plus our own requests it counted when it said so, is our share
    /// of the window: the account's limit less what other clients on the key spend. Holding our
    /// own sliding window to that share keeps the account's total under its limit at every moment,
    /// where spending the remaining count at once and guessing at the reset collides with another
    /// client that takes each freed slot as it frees.
    func observe(_ budget: ServerBudget, for ticket: Ticket) {
        guard let admitted = recent.last(where: { $0.id == ticket.id })?.at else { return }
        let now = clock.now()
        // Ours the server surely counted: answered before this one left (one still in flight may
        // reach the server after it), and well inside the window, not within this one's round trip
        // of its edge, where the server may have let it go already. The share errs low, never high.
        let edge = limits.window - (now - admitted)
        let counted = recent.filter { entry in
            entry.id < ticket.id && entry.finished.map { $0 <= admitted } == true && admitted - entry.at < edge
        }.count
        shares.append((now, counted + 1 + budget.remaining))
    }

    /// A 429 says the share was too high (another client spends more now): one less, until
    /// answers show more again. Without headers there is no share to lower.
    func lowerShare(at now: Duration) {
        guard let share = serverShare(at: now) else { return }
        shares = [(now, max(1, share - 1))]
    }

    /// Our share of a window: the most any answer of the last window showed, each being a floor.
    func serverShare(at now: Duration) -> Int? {
        shares.removeAll { now - $0.at >= limits.window }
        return shares.map(\.share).max()
    }
}
