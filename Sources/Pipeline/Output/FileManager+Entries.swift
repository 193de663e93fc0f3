import Foundation

extension FileManager {
    /// The names in `folder`; none when it cannot be listed. For folders precis only looks in for
    /// files of its own (pipelines on the search path, shard reports), where one it cannot list
    /// holds none of them.
    func entries(of folder: String) -> [String] {
        do { return try contentsOfDirectory(atPath: folder) } catch { return [] }
    }
}
