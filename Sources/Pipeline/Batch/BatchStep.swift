/// What one `mode: batch` run did with the platform's batches, for the report and the last line.
public struct BatchStep: Sendable, Codable, Hashable {
    /// Batches that had ended and whose answers were stored.
    public var collected = 0
    /// Lines those batches answered, failed, or left unfinished (expired or cancelled).
    public var answered = 0, failed = 0, unfinished = 0
    /// Batches submitted by this run, and their lines.
    public var submitted = 0, lines = 0
    /// Batches still running on the platform when the run ended.
    public var inFlight = 0
    /// Documents whose trees wait for a batch.
    public var waiting = 0
    /// Polls of `--wait` before the folder was done.
    public var polls = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case collected, answered, failed, unfinished, submitted, lines, waiting, polls
        case inFlight = "in_flight"
    }

    /// `batches: 2 collected (40 answered), 1 submitted (12 calls), 3 in flight; 4 file(s) waiting`.
    var line: String {
        var parts = [
            "\(collected) collected (\(answered) answered\(failed > 0 ? ", \(failed) failed" : "")\(unfinished > 0 ? ", \(unfinished) unfinished" : ""))"
        ]
        parts.append("\(submitted) submitted (\(lines) calls)")
        parts.append("\(inFlight) in flight")
        let waitingPart = waiting > 0 ? "; \(waiting) file(s) waiting, exit 5: run again later" : ""
        return "batches " + parts.joined(separator: ", ") + waitingPart
    }
}
