import Foundation
import Pipeline
import PrecisTesting
import Testing

/// How a run talks to people: lines off a terminal, a live line on one, JSON on request, help everywhere.
@Suite(.serialized)
struct ConsoleTests {

    @Test func offATerminalEachDocumentGetsOneLineAndTheRunAFinalOne() async throws {
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let result = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.contains("ok      ") }.count == 4)
        #expect(!result.stderr.contains("\u{1B}"), "no escape codes off a terminal")
        let last = try #require(lines.last)
        #expect(last.contains("4 files: 4 ok, 0 failed, 0 skipped as unchanged"))
        #expect(last.contains("calls 23 made, 0 reused") || last.contains(" made, 0 reused"))
        #expect(last.contains("tokens ") && last.contains("cost 0 CNY") && last.hasSuffix(" s"))

        let quiet = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "--quiet"])
        #expect(quiet.stderr.split(separator: "\n").count == 1)
        #expect(quiet.stderr.contains("0 ok, 0 failed, 4 skipped as unchanged"))
    }

    @Test func jsonPrintsTheReportOnStdout() async throws {
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let result = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "--json", "-q"])
        let report = try JSONOutput.decode(RunReport.self, from: Data(result.stdout.utf8))
        #expect(report.totals.ok == 4)
        #expect(try Data(contentsOf: out.appendingPathComponent("report.json")) == Data(result.stdout.utf8.dropLast()))
    }

    /// Runs `precis` on a pseudo-terminal and returns what the terminal showed.
    func onATerminal(_ arguments: [String], environment: [String: String]) async throws -> String {
        try await PrecisProcess.run(arguments, environment: environment, terminal: true).stdout
    }

    @Test func onATerminalALiveLineIsDrawnAndColourFollowsNO_COLOR() async throws {
        // Calls that take a while, so the line is drawn while they run.
        let server = try await FakeMoonshotServer.start(FakeServerConfiguration(latency: .milliseconds(200)))
        defer { Task { await server.stop() } }
        let env = ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL]
        let dir = try TestSupport.temporaryDirectory()
        let args = [
            "run", TestSupport.samples.path, "--pipeline",
            TestSupport.root.appendingPathComponent("pipelines/moonshot.yaml").path, "--concurrency", "1"
        ]
        let coloured = try await onATerminal(args + ["--out", dir.appendingPathComponent("a").path], environment: env)
        #expect(coloured.contains("\r\u{1B}[2K"), "the live line is redrawn in place")
        #expect(coloured.contains("/4 documents · 1 in flight"))
        #expect(coloured.contains("CNY"), "cost so far")
        #expect(coloured.contains("\u{1B}[32m"), "ok is green")

        let plain = try await onATerminal(
            args + ["--out", dir.appendingPathComponent("b").path], environment: env.merging(["NO_COLOR": "1"]) { $1 })
        #expect(plain.contains("/4 documents"))
        #expect(!plain.contains("\u{1B}[3") && !plain.contains("\u{1B}[1m"), "no colour with NO_COLOR")
    }

    @Test func dryRunIsTheEstimate() async throws {
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let dry = try await PrecisProcess.run(["run", TestSupport.samples.path, "--out", out.path, "--dry-run"])
        let estimate = try await PrecisProcess.run(["estimate", TestSupport.samples.path, "--out", out.path])
        #expect(dry.status == 0)
        #expect(dry.stdout == estimate.stdout)
        #expect(dry.stdout.contains("calls       ") && dry.stdout.contains(" to make, 0 already stored"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test(arguments: ["run", "estimate", "status", "gc", "extract", "pipelines", "models"])
    func everySubcommandsHelpHasExamples(command: String) async throws {
        let help = try await PrecisProcess.run([command, "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
        #expect(help.stdout.contains("precis \(command)"))
    }

    @Test func versionAndCompletionScripts() async throws {
        let version = try await PrecisProcess.run(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        for shell in ["bash", "zsh", "fish"] {
            let script = try await PrecisProcess.run(["--generate-completion-script", shell])
            #expect(script.status == 0)
            #expect(script.stdout.contains("estimate") && script.stdout.contains("corpus-summary"), "\(shell)")
        }
    }

    @Test func usageMistakesSayWhatToDoInstead() async throws {
        let none = try await PrecisProcess.run(["run"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("name at least one file or directory"))
        let pipeline = try await PrecisProcess.run(
            ["run", TestSupport.samples.path, "--pipeline", "no-such"], in: TestSupport.root)
        #expect(pipeline.status == 2)
        #expect(pipeline.stderr.contains("`precis pipelines`") && pipeline.stderr.contains("moonshot"))
        let both = try await PrecisProcess.run(["run", TestSupport.samples.path, "-q", "-v"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("give one"))
        let tier = try await PrecisProcess.run(["estimate", TestSupport.samples.path, "--tier", "9"])
        #expect(tier.stderr.contains("--rpm"))
        let size = try await PrecisProcess.run(["run", TestSupport.samples.path, "--max-file-size", "huge"])
        #expect(size.stderr.contains("such as 256M"))
    }
}
