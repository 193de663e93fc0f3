import Foundation

/// Every path precis keeps in an output folder, named once.
///
/// Pages of documents go where ``OutputPages/pagePath(for:)`` puts them; everything else a run
/// writes or reads in the folder is here, so that a shard's files are built and parsed by the same
/// code and no other file spells a path.
public enum OutputLayout {
    /// The folder of precis's own state, beside the pages.
    public static let state = ".precis"
    /// The folder's checkpoint store.
    public static let store = ".precis/state.sqlite"
    /// The lock a run holds on the folder.
    public static let lock = ".precis/lock"
    /// The folder's report, written by the run that finishes the folder.
    public static let report = "report.json"
    /// The folder's index of pages.
    public static let index = "index.md"
    /// The folder summary's page; no document's page can have this name, as theirs keep their
    /// source's extension (`x.txt.md`).
    public static let corpusPage = "corpus-summary.md"

    /// The stem shard `index` of `count` names its files with: `.precis/shard-2-of-4`.
    static func shardStem(_ index: Int, of count: Int) -> String { ".precis/shard-\(index)-of-\(count)" }
    /// A shard's store.
    static func shardStore(_ index: Int, of count: Int) -> String { shardStem(index, of: count) + ".sqlite" }
    /// A shard's report, which `precis merge` reads.
    static func shardReport(_ index: Int, of count: Int) -> String { shardStem(index, of: count) + ".report.json" }
    /// A shard's lock.
    static func shardLock(_ index: Int, of count: Int) -> String { ".precis/lock-shard-\(index)-of-\(count)" }

    /// The shards' reports in a folder's state folder, with the store beside each, in name order.
    static func shardReports(in out: URL) -> [(report: URL, store: URL)] {
        let folder = out.appendingPathComponent(state)
        let names = FileManager.default.entries(of: folder.path)
        let suffix = ".report.json"
        return names.sorted().filter { $0.hasPrefix("shard-") && $0.hasSuffix(suffix) }.map { name in
            let stem = String(name.dropLast(suffix.count))
            return (folder.appendingPathComponent(name), folder.appendingPathComponent(stem + ".sqlite"))
        }
    }
}
