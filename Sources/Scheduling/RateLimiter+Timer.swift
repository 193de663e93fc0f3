extension RateLimiter {
    /// Wakes the queue at `deadline`, unless a timer already wakes it sooner.
    func arm(_ deadline: Duration) {
        if let timer, timer.deadline <= deadline { return }
        timer?.task.cancel()
        let clock = self.clock
        // An absolute deadline: the timer task may first run after time has moved on.
        let task = Task {
            do { try await clock.sleep(until: deadline) } catch { return }
            self.fire()
        }
        timer = (deadline, task)
    }

    private func fire() {
        timer = nil
        pump()
    }
}
