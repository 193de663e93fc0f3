import Foundation

extension FileManager {
    /// The size in bytes of the file at `path`; nil when there is none (a store's WAL comes and goes).
    func size(atPath path: String) -> Int? {
        guard fileExists(atPath: path) else { return nil }
        do { return try attributesOfItem(atPath: path)[.size] as? Int } catch { return nil }
    }
}
