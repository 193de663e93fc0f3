import Crypto
import Foundation

/// One summarizer call of a document's tree, with its content-addressed key.
public struct SummaryCall: Sendable, Hashable {
    /// SHA-256 over the summarizer's fingerprint, the stage, the context and the inputs.
    public var key: String
    public var stage: Stage
    public var inputs: [String]
    public var context: SummaryContext
    /// The document the call belongs to.
    public var documentID: String
    /// 0 for the map level, 1 and up for reduce levels.
    public var level: Int
    /// Estimated input tokens, for scheduling and rate accounting.
    public var estimatedTokens: Int

    public init(
        fingerprint: String, stage: Stage, inputs: [String], context: SummaryContext,
        documentID: String, level: Int, estimatedTokens: Int
    ) {
        self.key = SummaryCall.key(fingerprint: fingerprint, stage: stage, inputs: inputs, context: context)
        self.stage = stage
        self.inputs = inputs
        self.context = context
        self.documentID = documentID
        self.level = level
        self.estimatedTokens = estimatedTokens
    }

    /// The content-addressed key of a call (DESIGN invariant 1).
    ///
    /// Each field is length-prefixed, so no two different field lists hash the same bytes.
    public static func key(fingerprint: String, stage: Stage, inputs: [String], context: SummaryContext) -> String {
        var hasher = SHA256()
        func field(_ s: String) {
            var length = UInt64(s.utf8.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: Data(s.utf8))
        }
        field("precis-call-v1")
        field(fingerprint)
        field(stage.rawValue)
        field(context.title)
        field(context.language.rawValue)
        field(String(context.headingPath.count))
        context.headingPath.forEach(field)
        field(String(inputs.count))
        inputs.forEach(field)
        // Only calls that carry context hash it, so keys made without it stay valid.
        if let carried = context.preceding {
            field("preceding:" + carried.kind.rawValue)
            field(carried.text)
        }
        return hasher.finalize().hex
    }
}
