import Checkpoint
import Foundation

/// `precis gc`: drops stored calls that no current file's summary uses, and temp files a killed
/// run left behind, then compacts the store.
///
/// It holds the output directory's lock like a run, so it never races one.
public struct GarbageCollection: Sendable {
    /// What a collection freed, or would free with `dryRun`.
    public struct Result: Sendable, Codable {
        public var dryRun: Bool
        public var calls: CallTotals
        /// Temp files of interrupted writes, relative to the output directory.
        public var tempFiles: [String]
        public var storeBytesBefore: Int
        public var storeBytesAfter: Int

        enum CodingKeys: String, CodingKey {
            case calls
            case dryRun = "dry_run"
            case tempFiles = "temp_files"
            case storeBytesBefore = "store_bytes_before"
            case storeBytesAfter = "store_bytes_after"
        }

        /// One line for people.
        public var summary: String {
            let verb = dryRun ? "would remove" : "removed"
            var line = "\(verb) \(calls.calls) stored call(s) no file uses"
            if calls.calls > 0 {
                line +=
                    " (\(OutputStatus.bytes(calls.outputBytes)) of summaries; \(calls.promptTokens) tokens in, \(calls.completionTokens) out)"
            }
            line += " and \(tempFiles.count) leftover temp file(s)"
            if !dryRun {
                line += "; store \(OutputStatus.bytes(storeBytesBefore)) → \(OutputStatus.bytes(storeBytesAfter))"
            }
            return line
        }
    }

    public var outputDirectory: URL
    public var dryRun: Bool
    public var waitForLock: Bool

    public init(outputDirectory: URL, dryRun: Bool = false, waitForLock: Bool = false) {
        self.outputDirectory = outputDirectory
        self.dryRun = dryRun
        self.waitForLock = waitForLock
    }

    /// Collects, holding the directory's lock.
    public func run(control: RunControl? = nil) async throws(PipelineError) -> Result {
        let out = outputDirectory
        let storeURL = RunOptions(inputs: [], outputDirectory: out).storeURL
        guard FileManager.default.fileExists(atPath: storeURL.path) else {
            throw PipelineError(
                .usage, "\(out.path) holds no precis output (no .precis/state.sqlite); nothing to collect")
        }
        let lock = try await OutputLock.acquire(in: out, wait: waitForLock, control: control)
        defer { lock.release() }
        do {
            let store = try await CheckpointStore(url: storeURL, create: false)
            let before = store.diskBytes
            let temps = Self.tempFiles(in: out)
            if dryRun {
                return Result(
                    dryRun: true, calls: try await store.garbageTotals(), tempFiles: temps, storeBytesBefore: before,
                    storeBytesAfter: before)
            }
            for temp in temps {
                guard let url = OutputPath.existing(temp, in: out) else { continue }
                do { try FileManager.default.removeItem(at: url) } catch {
                    throw PipelineError(
                        .output, "cannot remove the unfinished write \(temp) in \(out.path)", cause: error)
                }
            }
            let freed = try await store.collectGarbage()
            return Result(
                dryRun: false, calls: freed, tempFiles: temps, storeBytesBefore: before,
                storeBytesAfter: store.diskBytes)
        } catch {
            throw PipelineError(.output, "cannot collect garbage in \(out.path)", cause: error)
        }
    }

    /// Files named as ``AtomicFile`` names its temp files; with the lock held, none is in use.
    static func tempFiles(in out: URL) -> [String] {
        let base = out.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative == OutputLayout.state {
                walker.skipDescendants()
                continue
            }
            let name = (relative as NSString).lastPathComponent
            if AtomicFile.isTempName(name) { found.append(relative) }
        }
        return found.sorted()
    }
}
