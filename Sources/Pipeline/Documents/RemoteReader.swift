import ChatAPI
import Checkpoint
import Foundation
import Ingest
import Logging

/// Reads what precis cannot read locally through Kimi's file extraction: office files, EPUB and
/// HTML under `formats: kimi`, and scanned PDFs under `ocr: kimi`.
///
/// The text is kept in the store by the file's content hash, so no rerun uploads the same bytes
/// again, and each upload is deleted as soon as its text is read (an account keeps 1,000 files).
/// Extraction is free; the text is billed as input only when a summary call sends it.
struct RemoteReader: Sendable {
    /// The client uploads go through; nil for an estimate, which only reads what the store holds.
    let client: ChatClient?
    /// Where extracted text is kept; nil when an estimate plans without a store.
    let store: (any RunStore)?
    var logger = Logger(label: "precis")

    /// The text of `file`, from the store or from Kimi.
    func text(of file: InputFile, data: Data, hash: String) async throws -> String {
        if let cached = try await store?.extractedText(contentHash: hash) { return cached.text }
        guard let client else {
            throw IngestError(
                .unsupported, path: file.id, "read by Kimi's file extraction when run; its text is not known before")
        }
        guard data.count <= RemoteFile.maxBytes else {
            throw IngestError(
                .tooLarge, path: file.id, "file is \(data.count) bytes, over the 100 MB Kimi's file extraction takes")
        }
        let uploaded: RemoteFile
        do {
            uploaded = try await client.uploadFile(named: file.url.lastPathComponent, data: data, purpose: .fileExtract)
        } catch {
            throw IngestError(.unreadable, path: file.id, "Kimi's file extraction refused it: \(error)")
        }
        let content: Data
        do { content = try await client.fileContent(uploaded.id) } catch {
            await discard(uploaded, of: file, client: client)
            throw IngestError(.unreadable, path: file.id, "Kimi's file extraction could not read it: \(error)")
        }
        // The text is in hand: the upload has done its work either way.
        await discard(uploaded, of: file, client: client)
        let text = Self.text(in: content)
        try await store?.save(ExtractedText(contentHash: hash, text: text, via: "kimi"))
        return text
    }

    /// The extracted text in a file-content answer: the docs give plain text; the platform has also
    /// been seen to send `{"content": …, "file_type": …}`, which is read too.
    static func text(in content: Data) -> String {
        if let object = JSONObject.parse(content), let text = object["content"] as? String {
            return text
        }
        return String(decoding: content, as: UTF8.self)
    }

    /// Deletes an upload; one that cannot be deleted stays in the account, which the user is told,
    /// since the file may be confidential and counts against the account's 1,000.
    private func discard(_ uploaded: RemoteFile, of file: InputFile, client: ChatClient) async {
        do { try await client.deleteFile(uploaded.id) } catch {
            logger.warning(
                "cannot delete the upload \(uploaded.id) of \(file.id) from Kimi's files; delete it there: \(error)",
                metadata: ["path": "\(file.id)"])
        }
    }
}
