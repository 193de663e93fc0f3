/// The order in which waiting calls are admitted: lower goes first.
///
/// Documents opened earlier go first, and within a document deeper levels go first, so documents
/// finish in turn, their outputs appear steadily, and few are held open at once.
public struct CallPriority: Sendable, Comparable, Hashable {
    /// The order in which the call's document was opened.
    public var document: Int
    /// The call's tree level; higher levels are nearer the document's end.
    public var level: Int

    public init(document: Int, level: Int) {
        self.document = document
        self.level = level
    }

    public static func < (lhs: CallPriority, rhs: CallPriority) -> Bool {
        lhs.document != rhs.document ? lhs.document < rhs.document : lhs.level > rhs.level
    }
}
