import Checkpoint
import Foundation
import Ingest

/// What an output directory holds, read from its store without running anything: `precis status`.
public struct OutputStatus: Sendable, Codable {
    /// Files by what a rerun would do with them.
    public struct Files: Sendable, Codable, Hashable {
        /// Summarized, and unchanged by size and mtime since.
        public var done = 0
        /// Never summarized, or changed since (pending for the next run).
        public var new = 0
        public var changed = 0
        public var failed = 0
        /// Summarized once; their inputs are gone, their outputs kept.
        public var inputsGone = 0

        /// New and changed together.
        public var pending: Int { new + changed }

        enum CodingKeys: String, CodingKey {
            case done, new, changed, failed, pending
            case inputsGone = "inputs_gone"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            done = try c.decode(Int.self, forKey: .done)
            new = try c.decode(Int.self, forKey: .new)
            changed = try c.decode(Int.self, forKey: .changed)
            failed = try c.decode(Int.self, forKey: .failed)
            inputsGone = try c.decode(Int.self, forKey: .inputsGone)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(done, forKey: .done)
            try c.encode(new, forKey: .new)
            try c.encode(changed, forKey: .changed)
            try c.encode(pending, forKey: .pending)
            try c.encode(failed, forKey: .failed)
            try c.encode(inputsGone, forKey: .inputsGone)
        }
    }

    /// A file that needs attention, and why.
    public struct Entry: Sendable, Codable, Hashable {
        public var path: String
        public var reason: String
    }

    /// The last run, as its record says.
    public struct LastRun: Sendable, Codable, Hashable {
        public var id: Int64
        public var pipeline: String
        public var pid: Int?
        public var startedAt: Date
        public var endedAt: Date?
        public var exitCode: Int?
        public var outcome: String?
        public var callsMade: Int
        public var callsReused: Int
        public var filesPending: Int
        public var inputs: [String]

        enum CodingKeys: String, CodingKey {
            case id, pipeline, pid, outcome, inputs
            case startedAt = "started_at"
            case endedAt = "ended_at"
            case exitCode = "exit_code"
            case callsMade = "calls_made"
            case callsReused = "calls_reused"
            case filesPending = "files_pending"
        }
    }

    public var output: String
    /// The run holding the directory now, if one is.
    public var runningPID: Int32?
    /// Whether the inputs of the last run could be walked; without them only stored files are counted.
    public var inputsChecked: Bool
    public var files: Files
    /// Failed and pending files, by path.
    public var attention: [Entry]
    /// Every stored call: what the store has paid for so far.
    public var stored: CallTotals
    /// Stored calls no file uses, which `precis gc` would drop.
    public var unused: CallTotals
    public var currency: String
    public var storeBytes: Int
    public var lastRun: LastRun?
    /// Remote batches of a `mode: batch` folder that have not ended.
    public var batches: [BatchInFlight] = []

    enum CodingKeys: String, CodingKey {
        case output, files, attention, stored, unused, currency, batches
        case runningPID = "running_pid"
        case inputsChecked = "inputs_checked"
        case storeBytes = "store_bytes"
        case lastRun = "last_run"
    }
}

extension OutputStatus {
    /// Reads the status of the output directory `out`.
    /// - Throws: ``PipelineError`` `.usage` when `out` holds no precis store.
    public static func read(_ out: URL) async throws(PipelineError) -> OutputStatus {
        let storeURL = RunOptions(inputs: [], outputDirectory: out).storeURL
        let store: CheckpointStore
        guard FileManager.default.fileExists(atPath: storeURL.path) else {
            throw PipelineError(
                .usage,
                "\(out.path) holds no precis output (no .precis/state.sqlite): run `precis run INPUT --out \(out.path)` first"
            )
        }
        // A store that is there but cannot be opened (damaged, emptied, on a read-only disk) is not
        // "no output": saying so would invite a run that starts over and pays for everything again.
        do { store = try await CheckpointStore(url: storeURL, create: false) } catch {
            guard error.code != .damaged, let copy = await readOnlyCopy(of: storeURL) else {
                throw PipelineError(.output, "cannot read the store in \(out.path)", cause: error)
            }
            store = copy
        }
        defer {
            // The copy's folder goes once read; open files in it stay readable until then.
            if store.url != storeURL { try? FileManager.default.removeItem(at: store.url.deletingLastPathComponent()) }
        }
        do {
            let states = try await store.fileStates()
            let record = try await store.runs(limit: 1).first
            var status = OutputStatus(
                output: out.path, runningPID: OutputLock.holder(of: out)?.pid, inputsChecked: false, files: Files(),
                attention: [], stored: try await store.callTotals(), unused: try await store.garbageTotals(),
                currency: record?.currency ?? "CNY", storeBytes: store.diskBytes, lastRun: record.map(LastRun.init)
            )
            let (batches, waiting) = try await batches(in: store)
            status.batches = batches
            status.count(
                states, inputs: record?.inputList ?? [],
                walker: IngestOptions(json: record?.walk).walker(excluding: [out]), waiting: waiting)
            return status
        } catch {
            throw PipelineError(.output, "cannot read the store in \(out.path)", cause: error)
        }
    }

    /// The store copied to a temporary folder, when its own folder cannot be written: SQLite
    /// cannot open a write-ahead-logged database on a read-only disk, and status only reads.
    private static func readOnlyCopy(of storeURL: URL) async -> CheckpointStore? {
        let folder = storeURL.deletingLastPathComponent()
        guard !FileManager.default.isWritableFile(atPath: folder.path) else { return nil }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "precis-status-\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: storeURL.path + suffix) {
                try FileManager.default.copyItem(
                    atPath: storeURL.path + suffix, toPath: copy.appendingPathComponent("state.sqlite" + suffix).path)
            }
            return try await CheckpointStore(url: copy.appendingPathComponent("state.sqlite"), create: false)
        } catch {
            return nil
        }
    }

    /// Sorts stored files (and, when the last run's inputs can be walked, files on disk) into counts.
    private mutating func count(_ states: [FileState], inputs: [String], walker: InputWalker, waiting: Set<String>) {
        let byPath = Dictionary(states.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        let found = inputs.isEmpty ? nil : try? walker.files(in: inputs)
        inputsChecked = found != nil
        guard let found else {
            for state in states {
                if state.status == .ok { files.done += 1 } else { fail(state) }
            }
            return
        }
        for file in found {
            guard let state = byPath[file.id] else {
                files.new += 1
                attention.append(
                    Entry(path: file.id, reason: waiting.contains(file.id) ? "waiting for a batch in flight" : "new"))
                continue
            }
            if state.status == .failed {
                fail(state)
            } else if state.size != file.size || abs(state.modified.timeIntervalSince(file.modified)) >= 0.001 {
                files.changed += 1
                attention.append(Entry(path: file.id, reason: "changed since it was summarized"))
            } else {
                files.done += 1
            }
        }
        let present = Set(found.map(\.id))
        files.inputsGone = states.filter { !present.contains($0.path) }.count
    }

    private mutating func fail(_ state: FileState) {
        files.failed += 1
        attention.append(Entry(path: state.path, reason: "failed: " + (state.error ?? "unknown error")))
    }
}

extension OutputStatus.LastRun {
    init(_ record: RunRecord) {
        self.init(
            id: record.id ?? 0, pipeline: record.pipeline, pid: record.pid, startedAt: record.startedAt,
            endedAt: record.endedAt,
            exitCode: record.exitCode, outcome: record.outcome, callsMade: record.callsMade,
            callsReused: record.callsReused,
            filesPending: record.filesPending, inputs: record.inputList)
    }
}
