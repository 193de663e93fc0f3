import Foundation
import Pipeline
import PrecisTesting
import Testing

/// A text file far larger than a segment is read a segment at a time: the memory a document takes
/// is set by the segment, not by the file.
struct LargeFileTests {
    /// `megabytes` of story paragraphs under a heading, every megabyte its own so no two chunks repeat.
    func ledger(megabytes: Int, in dir: URL) throws -> Int {
        let story = try TestSupport.storyText().components(separatedBy: "\n\n")
        var text = ""
        var paragraph = 0
        while text.utf8.count < 1 << 20 {
            text += "Entry \(paragraph). " + story[paragraph % story.count] + "\n\n"
            paragraph += 1
        }
        let handle = try FileHandle(
            forWritingTo: TestSupport.write("# The Harrow Point ledger\n\n", to: "in/ledger.txt", in: dir))
        var written = 0
        for round in 0..<megabytes {
            let block = Data(text.replacingOccurrences(of: "Entry ", with: "Entry \(round)-").utf8)
            try handle.write(contentsOf: block)
            written += block.count
        }
        try handle.close()
        return written
    }

    /// The peak resident set of a running process, from `/proc`, or nil once it is gone.
    static func highWater(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    @Test func planningAFileOf120MegabytesTakesLessMemoryThanTheFile() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let size = try ledger(megabytes: 120, in: dir)
        let process = try PrecisProcess([
            "estimate", dir.appendingPathComponent("in").path, "--json", "--max-file-size", "1G"
        ])
        var peak = 0
        _ = try await PrecisProcess.until(.seconds(300)) {
            if let now = Self.highWater(process.pid) { peak = max(peak, now) }
            return !process.process.isRunning
        }
        #expect(try await process.exit() == 0, "\(process.stderr)")
        let plan = try JSONOutput.decode(RunEstimate.self, from: Data(process.stdout.utf8))
        #expect(plan.calls > 100 && plan.levels >= 2, "\(plan.calls) calls over \(plan.levels) levels")
        print("planning a \(size >> 20) MB text file: \(plan.calls) calls, peak memory \(peak >> 20) MB")
        // Read whole, the bytes, the text and the chunks alone would take three times the file.
        #expect(peak > 0 && peak < size, "the estimate held \(peak >> 20) MB for a \(size >> 20) MB file")
    }
}
