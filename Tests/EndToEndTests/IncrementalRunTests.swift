import Checkpoint
import Foundation
import Pipeline
import PrecisTesting
import Testing

/// Reruns do only what is missing or changed, and changes cost only the calls they touch.
@Suite(.serialized)
struct IncrementalRunTests {
    let resume = ResumeTests()

    func run(
        _ input: URL, _ out: URL, pipeline: String? = nil, server: FakeMoonshotServer? = nil, _ extra: [String] = []
    ) async throws -> PrecisProcess.Result {
        let args = ["run", input.path, "--out", out.path] + (pipeline.map { ["--pipeline", $0] } ?? []) + extra
        return try await PrecisProcess.run(args, environment: server.map(resume.environment) ?? [:])
    }

    @Test func aChangedChapterRepeatsOnlyTheCallsOnItsPathToTheRoot() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let pipeline = try resume.smallPipeline(in: dir)
        let input = dir.appendingPathComponent("in")
        let out = dir.appendingPathComponent("out")
        let story = try TestSupport.storyText()
        try TestSupport.write(story, to: "story.txt", in: input)
        #expect(try await run(input, out, pipeline: pipeline, server: server).status == 0)
        let first = try #require(try readFiles(out)["story.txt"])
        let calls = first.callsMade
        let levels = first.levels
        #expect(levels >= 3)

        // Two words of the last chapter's opening sentence, same length, so no chunk boundary moves
        // and the chunk's summary changes.
        let range = try #require(story.range(of: "fine and still"))
        try TestSupport.write(story.replacingCharacters(in: range, with: "wild and windy"), to: "story.txt", in: input)
        let before = server.stats.completed
        #expect(try await run(input, out, pipeline: pipeline, server: server).status == 0)
        let second = try #require(try readFiles(out)["story.txt"])
        #expect(second.status == .ok)
        #expect(second.chunks == first.chunks)
        // The changed chunk's map call, then at most one call per level above it, for as far as the
        // change shows in the summaries: every other call is reused.
        let made = second.callsMade
        #expect((1...levels).contains(made), "\(second)")
        #expect(second.callsReused == calls - made)
        #expect(server.stats.completed - before == made)
        #expect(server.stats.repeatedCompletions == 0)
    }

    @Test func promptAndModelChangesRedoCallsButOutputSettingsOnlyRewriteThePages() async throws {
        let server = try await FakeMoonshotServer.start()
        defer { Task { await server.stop() } }
        let dir = try TestSupport.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let base = try resume.smallPipeline(in: dir)
        let input = TestSupport.samples.appendingPathComponent("en")
        #expect(try await run(input, out, pipeline: base, server: server).status == 0)
        let calls = try readTotals(out).callsMade

        // Output only: the name printed on each page. Pages are rewritten from stored calls.
        let baseText = try String(contentsOfFile: base, encoding: .utf8)
        let renamed = try TestSupport.write(
            baseText.replacingOccurrences(of: "name: moonshot", with: "name: kimi-digest"), to: "renamed.yaml", in: dir)
        #expect(try await run(input, out, pipeline: renamed.path, server: server).status == 0)
        #expect(try readTotals(out).ok == 1)
        #expect(try readTotals(out).callsMade == 0)
        #expect(try readTotals(out).callsReused == calls)
        #expect(
            try String(contentsOf: out.appendingPathComponent("harrow-point.txt.md"), encoding: .utf8).contains(
                "pipeline: \"kimi-digest\""))

        // A prompt, a sampling parameter or the model: every call is new.
        let changes: [(String, String)] = [
            (
                "# prompts:",
                "prompts:\n  map: \"Summarize this part of {title} in {language}.\\n\\n{text}\"\n# prompts:"
            ),
            ("temperature: 0.3", "temperature: 0.5"),
            ("model: moonshot-v1-8k", "model: moonshot-v1-32k")
        ]
        for (index, change) in changes.enumerated() {
            let changed = try TestSupport.write(
                baseText.replacingOccurrences(of: change.0, with: change.1), to: "changed-\(index).yaml", in: dir)
            let result = try await run(input, out, pipeline: changed.path, server: server)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try readTotals(out).callsReused == 0, "\(change.1)")
            #expect(try readTotals(out).callsMade >= calls, "\(change.1)")
        }
    }

    @Test func sameSizeAndMtimeSkipWithoutReadingUnlessRehashIsGiven() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        let out = dir.appendingPathComponent("out")
        let anHourAgo = Date().addingTimeInterval(-3600)
        let text = "The harbour froze early that year. Boats stayed in. The town waited."
        let file = try TestSupport.write(text, to: "a.txt", in: input)
        try FileManager.default.setAttributes([.modificationDate: anHourAgo], ofItemAtPath: file.path)
        #expect(try await run(input, out).status == 0)

        // Same size, same mtime, different bytes: trusted as unchanged without being read.
        try TestSupport.write(text.replacingOccurrences(of: "froze", with: "melts"), to: "a.txt", in: input)
        try FileManager.default.setAttributes([.modificationDate: anHourAgo], ofItemAtPath: file.path)
        #expect(try await run(input, out).status == 0)
        #expect(try readFiles(out)["a.txt"]?.status == .skipped)
        #expect(try await run(input, out, ["--rehash"]).status == 0)
        #expect(try readFiles(out)["a.txt"]?.status == .ok)
        #expect(try String(contentsOf: out.appendingPathComponent("a.txt.md"), encoding: .utf8).contains("melts"))

        // Touched, not changed: the hash says so, nothing is redone, and the new mtime is kept.
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: file.path)
        #expect(try await run(input, out).status == 0)
        #expect(try readFiles(out)["a.txt"]?.status == .skipped)
        let state = try await CheckpointStore(url: out.appendingPathComponent(".precis/state.sqlite")).fileState(
            path: "a.txt")
        #expect(abs((state?.modified.timeIntervalSinceNow ?? 0) + 600) < 30, "the new mtime, not the old one, is kept")
    }

    @Test func deletedInputsKeepTheirOutputsUnlessPruneIsGiven() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        let out = dir.appendingPathComponent("out")
        try FileManager.default.copyItem(at: TestSupport.samples.appendingPathComponent("en"), to: input)
        try TestSupport.write(
            "A short note about the tides. They rise. They fall. Nobody minds.", to: "notes/tides.txt", in: input)
        #expect(try await run(input, out).status == 0)
        try FileManager.default.removeItem(at: input.appendingPathComponent("notes"))

        #expect(try await run(input, out).status == 0)
        let summary = out.appendingPathComponent("notes/tides.txt.md")
        #expect(FileManager.default.fileExists(atPath: summary.path))
        #expect(try readReport(out).inputsGone == ["notes/tides.txt"])
        let index = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.contains("Kept from earlier runs"))
        #expect(index.contains("notes/tides.txt.md"))

        let pruned = try await run(input, out, ["--prune"])
        #expect(pruned.status == 0)
        #expect(!FileManager.default.fileExists(atPath: summary.path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("notes").path))
        #expect(try readReport(out).pruned == ["notes/tides.txt"])
        #expect(!(try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)).contains("tides"))
        let gc = try await PrecisProcess.run(["gc", out.path])
        #expect(gc.status == 0)
        let status = try await PrecisProcess.run(["status", out.path])
        #expect(status.status == 0)
    }
    @Test func pruneAndPagesNeverReachThroughASymlinkedFolderOutOfTheOutput() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        let out = dir.appendingPathComponent("out")
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try TestSupport.write(
            "The tide tables for the harbour were revised. The ferry now leaves at dawn.", to: "notes/tides.txt",
            in: input)
        try TestSupport.write(
            "The lighthouse keeper kept a log. It names every ship that passed.", to: "log.txt", in: input)
        #expect(try await run(input, out).status == 0)
        // Someone swaps the output's folder for a link to a folder of their own, holding a file of
        // the same name as the page.
        let victim = try TestSupport.write("not precis's", to: "tides.txt.md", in: elsewhere)
        try FileManager.default.removeItem(at: out.appendingPathComponent("notes"))
        #expect(symlink(elsewhere.path, out.appendingPathComponent("notes").path) == 0)
        try FileManager.default.removeItem(at: input.appendingPathComponent("notes/tides.txt"))
        try TestSupport.write("A new chapter of the harbour's story. It is short.", to: "notes/deep/new.txt", in: input)

        let pruned = try await run(input, out, ["--prune"])
        #expect(FileManager.default.fileExists(atPath: victim.path), "prune deleted a file outside the output folder")
        #expect(
            !FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("deep").path),
            "a refused page made a folder outside the output folder")
        #expect(pruned.status == 1, "\(pruned.stderr)")
        let files = try readFiles(out)
        #expect(files["notes/deep/new.txt"]?.status == .failed)
        #expect(
            files["notes/deep/new.txt"]?.error?.contains("through a symlink") == true,
            "\(String(describing: files["notes/deep/new.txt"]))")
        #expect(files["log.txt"]?.status == .skipped)
    }
}
