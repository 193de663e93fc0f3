/// Where a call sits in the map-reduce tree.
public enum Stage: String, Sendable, Codable, CaseIterable {
    /// Summarizes one chunk of the source.
    case map
    /// Merges a group of summaries into one, below the top.
    case reduce
    /// Produces the document's summary: the single call at the top of the tree.
    case final
}
