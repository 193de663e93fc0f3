import Foundation
import PrecisTesting
import Testing

/// Every pipeline in `pipelines/` on the samples: it runs, and `precis estimate` predicted the run.
@Suite(.serialized)
struct ShippedPipelineTests {
    let e2e = EndToEndTests()

    static var shipped: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.root.appendingPathComponent("pipelines").path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: shipped)
    func runsOnTheSamplesAsEstimated(pipeline: String) async throws {
        let file = TestSupport.root.appendingPathComponent("pipelines/\(pipeline)").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let usesModel = text.contains("MOONSHOT_API_KEY") || text.contains("backend: openai-compatible")
        // Local-server pipelines (no key, any model name, short answers) meet a fake serving their model.
        let local = text.contains("OPENAI_BASE_URL")
        let server = try await FakeMoonshotServer.start(local
            ? FakeServerConfiguration(apiKey: nil, models: FakeServerConfiguration.moonshotModels + [("local", 2048)], summaryCap: 60)
            : FakeServerConfiguration())
        defer { Task { await server.stop() } }
        let env = usesModel ? ["MOONSHOT_API_KEY": "sk-test", "MOONSHOT_BASE_URL": server.baseURL, "OPENAI_BASE_URL": server.baseURL] : [:]
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
        let args = [TestSupport.samples.path, "--pipeline", file, "--out", out.path]

        // Without a key, without the server: the estimate reads and chunks, and calls nothing.
        let planned = try e2e.precis(["estimate", "--json"] + args, environment: env)
        #expect(planned.status == 0, "\(planned.stderr)")
        let estimate = try json(planned.stdout)
        #expect(server.stats.chatRequests == 0)
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let run = try e2e.precis(["run", "--json"] + args, environment: env)
        #expect(run.status == 0, "\(pipeline): \(run.stderr)")
        let totals = try #require(try json(run.stdout)["totals"] as? [String: Any])
        #expect(totals["ok"] as? Int == 4)
        #expect(totals["calls_made"] as? Int == estimate["calls"] as? Int, "\(pipeline): calls made vs estimated")
        if usesModel {
            #expect(totals["calls_made"] as? Int == server.stats.completed)
            let real = Double((totals["prompt_tokens"] as! Int) + (totals["completion_tokens"] as! Int))
            let expected = Double((estimate["prompt_tokens"] as! Int) + (estimate["completion_tokens"] as! Int))
            // A local model's tokens cost nothing; only Moonshot's bill is held to 10%.
            #expect(local || abs(expected - real) / real <= 0.10, "\(pipeline): \(expected) tokens estimated, \(real) used; \(estimate) vs \(totals)")
            let most = Double((estimate["prompt_tokens_max"] as! Int) + (estimate["completion_tokens_max"] as! Int))
            #expect(most >= real, "\(pipeline): the upper bound \(most) is below the \(real) tokens used")
        }

        // After the run the store holds every call: a rerun is estimated at nothing.
        let again = try json(try e2e.precis(["estimate", "--json"] + args, environment: env).stdout)
        #expect(again["calls"] as? Int == 0)
        #expect(again["unchanged"] as? Int == 4)
    }
}

/// `precis estimate` on deep trees and on a half-finished store.
@Suite(.serialized)
struct EstimateTests {
    let e2e = EndToEndTests()

    @Test func aStoppedRunIsEstimatedAtWhatIsLeft() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let pipeline = try ResumeTests().smallPipeline(in: dir)
        let env = ResumeTests().environment(server)
        let args = [TestSupport.samples.path, "--pipeline", pipeline, "--out", out.path, "--concurrency", "1"]
        let whole = try JSONSerialization.jsonObject(with: Data(try e2e.precis(["estimate", "--json"] + args).stdout.utf8)) as! [String: Any]
        #expect((whole["levels"] as? Int ?? 0) >= 3, "the small chunks make deep trees")

        // A spending cap stops the run part way; what it made is stored.
        let stopped = try e2e.precis(["run"] + args + ["--max-tokens-total", "6000"], environment: env)
        #expect(stopped.status == 4, "\(stopped.stderr)")
        let made = try e2e.totals(out)["calls_made"] ?? 0
        #expect(made > 0)
        let rest = try JSONSerialization.jsonObject(with: Data(try e2e.precis(["estimate", "--json"] + args).stdout.utf8)) as! [String: Any]
        #expect((rest["calls_stored"] as? Int ?? 0) > 0)
        #expect((rest["calls"] as? Int ?? 0) < (whole["calls"] as? Int ?? 0))

        let resumed = try e2e.precis(["run"] + args, environment: env)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        // Deep trees depend on how long each answer runs, so the plan is close rather than exact here.
        let left = try #require(rest["calls"] as? Int)
        let actual = try #require(try e2e.totals(out)["calls_made"])
        #expect(abs(actual - left) <= max(2, left / 10), "\(left) calls estimated, \(actual) made")
        #expect(try e2e.totals(out)["calls_reused"] ?? 0 >= made, "nothing stored is paid again")
    }
}
