import Checkpoint
import Foundation
import PostgresNIO

extension PostgresStore {
    static let callColumns = """
        key, stage, summarizer, output, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, model, truncated,
        usage_estimated, cost, batch, created_at
        """

    static let fileColumns = """
        path, content_hash, size, modified, pipeline_fingerprint, status, error, output_path, title, gist, chunks, levels,
        calls, prompt_tokens, completion_tokens, updated_at
        """

    static func call(_ row: PostgresRow) throws(FleetError) -> StoredCall {
        let c = row.makeRandomAccess()
        return StoredCall(
            key: try cell(c, "key"), stage: try cell(c, "stage"), summarizer: try cell(c, "summarizer"),
            output: try cell(c, "output"),
            promptTokens: try cell(c, "prompt_tokens"), completionTokens: try cell(c, "completion_tokens"),
            reasoningTokens: try cell(c, "reasoning_tokens"), cachedTokens: try cell(c, "cached_tokens"),
            model: try cell(c, "model"),
            truncated: try cell(c, "truncated"), usageEstimated: try cell(c, "usage_estimated"),
            cost: try cell(c, "cost"),
            batch: try cell(c, "batch"), createdAt: try cell(c, "created_at")
        )
    }

    static func file(_ row: PostgresRow) throws(FleetError) -> FileState {
        let c = row.makeRandomAccess()
        let status: String = try cell(c, "status")
        return FileState(
            path: try cell(c, "path"), contentHash: try cell(c, "content_hash"), size: try cell(c, "size"),
            modified: try cell(c, "modified"),
            pipelineFingerprint: try cell(c, "pipeline_fingerprint"),
            status: FileState.Status(rawValue: status) ?? .failed,
            error: try cell(c, "error"), outputPath: try cell(c, "output_path"), title: try cell(c, "title"),
            gist: try cell(c, "gist"),
            chunks: try cell(c, "chunks"), levels: try cell(c, "levels"), calls: try cell(c, "calls"),
            promptTokens: try cell(c, "prompt_tokens"), completionTokens: try cell(c, "completion_tokens"),
            updatedAt: try cell(c, "updated_at")
        )
    }

    static func cell<T: PostgresDecodable>(_ row: PostgresRandomAccessRow, _ column: String) throws(FleetError) -> T {
        do { return try row[column].decode(T.self) } catch {
            throw FleetError(.query, "cannot read column \(column) of the shared store", cause: error)
        }
    }

    static func decode<each T: PostgresDecodable>(_ row: PostgresRow, _ type: (repeat each T).Type) throws(FleetError)
        -> (repeat each T)
    {
        do { return try row.decode(type) } catch {
            throw FleetError(.query, "cannot read a row of the shared store", cause: error)
        }
    }

    /// The first row's one column, or nil when there is no row.
    static func first<T: PostgresDecodable>(_ rows: [PostgresRow], _ type: T.Type) throws(FleetError) -> T? {
        guard let row = rows.first else { return nil }
        return try decode(row, T.self)
    }
}
