import Foundation

/// How a run takes part in a fleet of workers, from the command line.
public struct FleetOptions: Sendable, Hashable {
    /// The shared store's `postgres://` URL, without a password.
    public var store: String
    /// Whether the URL came from argv (`--store`) rather than `PRECIS_STORE`.
    public var fromCommandLine: Bool
    /// The job the files belong to in the shared store; the output folder's path when not given.
    public var job: String?
    /// How long a claim lasts without a heartbeat; a dead worker's files wait this long.
    public var lease: Duration

    public init(store: String, fromCommandLine: Bool = true, job: String? = nil, lease: Duration = .seconds(60)) {
        self.store = store
        self.fromCommandLine = fromCommandLine
        self.job = job
        self.lease = lease
    }

    /// The shared store a command names with its flag, else `PRECIS_STORE`; nil for the folder's own SQLite store.
    public static func from(
        flag: String?, job: String?, lease: Duration = .seconds(60),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> FleetOptions? {
        let url = flag ?? environment["PRECIS_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        return url.map { FleetOptions(store: $0, fromCommandLine: flag != nil, job: job, lease: lease) }
    }

    /// The job's name for an output folder.
    public func scope(for outputDirectory: URL) -> String {
        job ?? outputDirectory.standardizedFileURL.path
    }
}

/// One of N disjoint parts of the inputs, for fleets without a shared store (`--shard i/N`).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// From 0 to `count - 1`.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Reads `i/N`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0,
            (0..<count).contains(index)
        else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the file with id `path` is this shard's: a stable hash of the path, the same on every machine.
    public func owns(_ path: String) -> Bool {
        // FNV-1a over the UTF-8 bytes: stable across processes, unlike Swift's seeded hashValue.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return Int(hash % UInt64(count)) == index
    }

    /// The shard's store, beside the others in the output folder.
    public func storeURL(in outputDirectory: URL) -> URL {
        outputDirectory.appendingPathComponent(OutputLayout.shardStore(index, of: count))
    }

    /// The shard's own report, which `precis merge` joins with the others.
    public func reportURL(in outputDirectory: URL) -> URL {
        outputDirectory.appendingPathComponent(OutputLayout.shardReport(index, of: count))
    }
}
