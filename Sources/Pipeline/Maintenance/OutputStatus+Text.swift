import Foundation

extension OutputStatus {
    /// The status as people read it: a state line, then counts, then the files needing attention.
    public var text: String {
        var lines = [headline]
        var counts = "\(files.done) done, \(files.pending) pending"
        if files.pending > 0 { counts += " (\(files.new) new, \(files.changed) changed)" }
        counts += ", \(files.failed) failed"
        if files.inputsGone > 0 { counts += ", \(files.inputsGone) with inputs gone (outputs kept)" }
        if !inputsChecked {
            counts += "; inputs not checked" + (lastRun == nil ? "" : ": the last run's inputs cannot be read")
        }
        lines.append("  files     " + counts)
        var calls = "\(stored.calls) stored (\(Self.bytes(stored.outputBytes)) of summaries)"
        if unused.calls > 0 { calls += ", \(unused.calls) used by no file (`precis gc` drops them)" }
        lines.append("  calls     " + calls)
        var spent = "\(stored.promptTokens) tokens in, \(stored.completionTokens) out"
        if stored.cost > 0 { spent += "; cost " + String(format: "%.4f", stored.cost) + " " + currency }
        lines.append("  so far    " + spent)
        if let run = lastRun {
            var line = "#\(run.id), pipeline \(run.pipeline), started \(Self.time(run.startedAt))"
            if let ended = run.endedAt {
                line +=
                    ", ended \(Self.time(ended)) (" + String(format: "%.1f s", ended.timeIntervalSince(run.startedAt))
                    + ")"
                line += ", exit \(run.exitCode.map(String.init) ?? "?")" + (run.outcome.map { " (\($0))" } ?? "")
                line += "; \(run.callsMade) calls made, \(run.callsReused) reused"
            }
            lines.append("  last run  " + line)
        }
        lines.append("  store     \(Self.bytes(storeBytes))")
        lines += batchLines
        if !attention.isEmpty {
            lines.append("")
            lines.append("needs attention:")
            for entry in attention.prefix(20) { lines.append("  \(entry.path): \(entry.reason)") }
            if attention.count > 20 { lines.append("  … and \(attention.count - 20) more (--json lists them all)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var headline: String {
        if let pid = runningPID { return "\(output): running (precis PID \(pid))" }
        guard let run = lastRun else { return "\(output): idle, no run recorded" }
        guard run.endedAt != nil else {
            return "\(output): idle; the last run did not finish (killed or crashed?): rerun it to resume"
        }
        let pending = files.pending + files.failed
        if !batches.isEmpty { return "\(output): idle; \(batches.count) batch(es) in flight, \(pending) file(s) left" }
        return "\(output): idle; " + (pending == 0 ? "up to date" : "\(pending) file(s) left for the next run")
    }

    /// The status as pretty, key-sorted JSON.
    public func json() throws(PipelineError) -> Data {
        try JSONOutput.encode(self)
    }

    static func bytes(_ count: Int) -> String {
        count < 1024
            ? "\(count) B"
            : count < 1 << 20
                ? String(format: "%.1f KB", Double(count) / 1024)
                : String(format: "%.1f MB", Double(count) / Double(1 << 20))
    }

    private static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
