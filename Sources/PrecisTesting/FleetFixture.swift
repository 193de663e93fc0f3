import Foundation

/// The folder and pipeline a fleet of workers is tested and benchmarked on.
public enum FleetFixture {
    /// Account limits the fake server enforces and the pipeline declares: RPM per a 10 s window.
    public static let rpm = 30, concurrency = 4
    public static let window: Duration = .seconds(10)

    /// `count` short reports from the English sample, a few 500-token chunks each (about three calls).
    ///
    /// Every paragraph carries a fresh tag: the shared store keeps calls across jobs and runs, and
    /// each use pays for its own.
    public static func reports(in dir: URL, count: Int = 30) throws -> URL {
        let input = dir.appendingPathComponent("in")
        let text = try String(
            contentsOf: TestSupport.samples.appendingPathComponent("en/harrow-point.txt"), encoding: .utf8)
        let paragraphs = text.components(separatedBy: "\n\n").filter { $0.count > 80 }
        let tag = UUID().uuidString.prefix(8)
        for i in 0..<count {
            var body = "Report \(i + 1) on Harrow Point, filed as \(tag)-\(i).\n\n"
            var k = i
            while body.count < 2_600 {
                body += "(\(tag)) " + paragraphs[k % paragraphs.count] + "\n\n"
                k += 1
            }
            _ = try TestSupport.write(body, to: String(format: "in/report-%02d.txt", i + 1), in: dir)
        }
        return input
    }

    /// The shipped `moonshot` pipeline with small chunks and answers, under the account's limits.
    public static func pipeline(in dir: URL) throws -> String {
        var text = try String(
            contentsOf: TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml"), encoding: .utf8)
        for (from, to) in [
            ("max_levels: 8", "max_levels: 8\nchunking:\n  chunk_tokens: 500"), ("map: 512", "map: 250"),
            ("reduce: 768", "reduce: 300"),
            (
                "# limits: {concurrency: 50, rpm: 200, tpm: 2000000}",
                "limits: {concurrency: \(concurrency), rpm: \(rpm), window_seconds: \(Int(window / .seconds(1)))}"
            )
        ] {
            precondition(text.contains(from), "pipelines/moonshot.yaml no longer has \(from)")
            text = text.replacingOccurrences(of: from, with: to)
        }
        return try TestSupport.write(text, to: "fleet-pipeline.yaml", in: dir).path
    }

    /// The fake server's configuration for those limits, with `latency` a call.
    public static func server(latency: Duration = .milliseconds(250)) -> FakeServerConfiguration {
        FakeServerConfiguration(latency: latency, concurrency: concurrency, rpm: rpm, window: window)
    }

    /// The most requests begun within any `window`.
    public static func busiest(_ starts: [ContinuousClock.Instant], window: Duration = FleetFixture.window) -> Int {
        let sorted = starts.sorted()
        var best = 0
        var low = 0
        for high in sorted.indices {
            while sorted[high] - sorted[low] >= window { low += 1 }
            best = max(best, high - low + 1)
        }
        return best
    }
}
