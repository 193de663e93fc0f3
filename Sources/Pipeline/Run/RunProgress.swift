import Foundation

/// What a run has done so far, for a live progress line; the run updates it as files and calls finish.
public actor RunProgress {
    /// A moment's view of the run.
    public struct Snapshot: Sendable, Hashable {
        public var files = 0
        public var filesDone = 0
        public var ok = 0, failed = 0, skipped = 0, pending = 0
        public var callsInFlight = 0
        public var callsMade = 0
        public var callsReused = 0
        public var promptTokens = 0
        public var completionTokens = 0
        public var cost = 0.0
        public var currency = ""
        public var seconds = 0.0
        /// Seconds left at the rate the bytes of summarized (not skipped) files went so far; nil before any.
        public var eta: Double?
    }

    private var state = Snapshot()
    private var bytes = 0
    private var bytesDone = 0
    private var started: ContinuousClock.Instant?

    public init() {}

    func begin(files: Int, bytes: Int, currency: String) {
        state.files = files
        state.currency = currency
        self.bytes = bytes
        started = .now
    }

    func callStarted() { state.callsInFlight += 1 }

    func callEnded(prompt: Int, completion: Int, cost: Double) {
        state.callsInFlight -= 1
        state.callsMade += 1
        state.promptTokens += prompt
        state.completionTokens += completion
        state.cost += cost
    }

    func callFailed() { state.callsInFlight -= 1 }

    func callReused() { state.callsReused += 1 }

    func finished(_ file: RunReport.File, bytes size: Int) {
        state.filesDone += 1
        switch file.status {
        case .ok: state.ok += 1
        case .failed: state.failed += 1
        case .pending: state.pending += 1
        case .skipped:
            state.skipped += 1
            // Skipped files take no time, so they do not count toward the rate.
            bytes -= size
            return
        }
        bytesDone += size
    }

    /// The run so far, with its elapsed time and an estimate of the time left.
    public func snapshot() -> Snapshot {
        var view = state
        if let started {
            view.seconds = (ContinuousClock.now - started).seconds
            if bytesDone > 0, view.filesDone < view.files {
                view.eta = view.seconds * Double(max(0, bytes - bytesDone)) / Double(bytesDone)
            }
        }
        return view
    }
}
