import Synchronization

/// Whether the server continues a cut answer in partial mode: assumed where its model family has it
/// (Moonshot's platform), and refused for the rest of the run once the server shows it does not,
/// by refusing such a request or by answering anew instead of going on.
public final class PartialMode: Sendable {
    private let refused = Mutex(false)

    public init() {}

    /// Whether continuations are still worth sending.
    public var usable: Bool { !refused.withLock { $0 } }

    /// The server does not continue answers: cut answers follow the rule for servers without it.
    public func refuse() {
        refused.withLock { $0 = true }
    }

    /// Whether `answer`, sent to go on from `prefix`, starts over instead: a server that ignores
    /// the `partial` flag treats the prefix as an earlier turn and writes the whole answer again.
    public static func repeats(prefix: String, answer: String) -> Bool {
        let head = prefix.trimmingWhitespace().prefix(48)
        guard head.count >= 16 else { return false }
        return answer.trimmingWhitespace().hasPrefix(head)
    }
}
