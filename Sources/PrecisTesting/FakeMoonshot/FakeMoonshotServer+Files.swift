import Foundation
import NIOHTTP1

extension FakeMoonshotServer {
    /// A file on the fake Files API.
    struct FakeFile: Sendable {
        var id: String
        var filename: String
        var purpose: String
        var data: [UInt8]
        var createdAt: Int

        var object: [String: Any] {
            [
                "id": id, "object": "file", "bytes": data.count, "created_at": createdAt, "filename": filename,
                "purpose": purpose
            ]
        }
    }

    /// The ids of the files the server holds now, uploads and batch outputs alike.
    public var fileIDs: [String] { state.withLock { $0.files.keys.sorted() } }

    /// Stores `data` as a new file and gives its id.
    func addFile(named filename: String, purpose: String, data: [UInt8]) -> String {
        state.withLock { s in
            s.nextID += 1
            let id = "file-\(s.nextID)"
            s.files[id] = FakeFile(
                id: id, filename: filename, purpose: purpose, data: data, createdAt: 1_760_000_000 + s.nextID)
            return id
        }
    }

    /// `/v1/files…`: upload (multipart), list, content and delete, as the Files API documents them.
    func files(_ head: HTTPRequestHead, path: String, body: [UInt8], writer: ResponseWriter) async throws {
        let parts = path.split(separator: "/").map(String.init)  // ["v1", "files", id?, "content"?]
        switch (head.method, parts.count) {
        case (.POST, 2):
            guard let type = head.headers["content-type"].first,
                let boundary = type.components(separatedBy: "boundary=").last,
                type.hasPrefix("multipart/form-data"), let form = Self.multipart(body, boundary: boundary),
                let file = form.file, let purpose = form.fields["purpose"]
            else {
                return try await writer.error(
                    400, type: "invalid_request_error",
                    "Invalid request: a multipart body with purpose and file is required")
            }
            guard ["batch", "file-extract"].contains(purpose) else {
                return try await writer.error(
                    400, type: "invalid_request_error", "Invalid request: purpose \(purpose) is not supported")
            }
            guard !file.data.isEmpty, file.data.count <= 100 * 1024 * 1024 else {
                return try await writer.error(
                    400, type: "invalid_request_error", "Invalid request: the file must be non-empty and at most 100 MB"
                )
            }
            if purpose == "batch", !file.name.hasSuffix(".jsonl") {
                return try await writer.error(
                    400, type: "invalid_request_error", "Invalid request: a batch file must have the .jsonl extension")
            }
            let limit = state.withLock { s in s.files.values.filter { $0.purpose == purpose }.count }
            guard limit < configuration.fileLimit else {
                return try await writer.error(
                    400, type: "invalid_request_error",
                    "Invalid request: the organization holds \(limit) files, the most it may")
            }
            let id = addFile(named: file.name, purpose: purpose, data: file.data)
            state.withLock { $0.stats.uploads += 1 }
            let stored = state.withLock { $0.files[id] }
            try await writer.json(200, stored?.object ?? [:])
        case (.GET, 2):
            let list = state.withLock { s in s.files.values.sorted { $0.id < $1.id } }.map(\.object)
            try await writer.json(200, ["object": "list", "data": list])
        case (.GET, 4) where parts[3] == "content":
            guard let file = state.withLock({ $0.files[parts[2]] }) else {
                return try await writer.error(404, type: "resource_not_found_error", "Not found the file \(parts[2])")
            }
            guard file.purpose == "file-extract" else {
                return try await writer.raw(200, file.data, contentType: "application/octet-stream")
            }
            // The docs give the extracted text as plain text.
            state.withLock { $0.stats.extractions += 1 }
            try await writer.raw(200, Array(extractedText(file).utf8), contentType: "text/plain; charset=utf-8")
        case (.DELETE, 3):
            guard state.withLock({ $0.files.removeValue(forKey: parts[2]) }) != nil else {
                return try await writer.error(404, type: "resource_not_found_error", "Not found the file \(parts[2])")
            }
            state.withLock { $0.stats.deletedFiles += 1 }
            try await writer.json(200, ["id": parts[2], "object": "file", "deleted": true])
        default:
            try await writer.error(404, type: "resource_not_found_error", "Not found: \(head.method.rawValue) \(path)")
        }
    }

    /// What file extraction reads from `file`: the configured text, else sentences naming it.
    func extractedText(_ file: FakeFile) -> String {
        if let text = configuration.extractedTexts[file.filename] { return text }
        return """
            \(file.filename)

            This text was read from \(file.filename) by the platform's file extraction, which reads office documents, \
            e-books, web pages and scanned PDFs. The file held \(file.data.count) bytes. Extraction is free of charge, \
            and the text is billed as input only when a request sends it. Each uploaded file counts against the account's \
            limit of one thousand files until it is deleted.
            """
    }

    /// The fields and the one file of a `multipart/form-data` body.
    static func multipart(_ body: [UInt8], boundary: String) -> (
        fields: [String: String], file: (name: String, data: [UInt8])?
    )? {
        let delimiter = Array("--\(boundary)".utf8)
        var fields: [String: String] = [:]
        var file: (name: String, data: [UInt8])?
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var i = 0
        while i + delimiter.count <= body.count {
            if body[i..<i + delimiter.count].elementsEqual(delimiter) {
                if let start { parts.append(body[start..<max(start, i - 2)]) }
                i += delimiter.count
                start = i + 2
            } else {
                i += 1
            }
        }
        for part in parts {
            guard let split = part.indices.first(where: { part[$0...].starts(with: Array("\r\n\r\n".utf8)) }) else {
                continue
            }
            let headers = String(decoding: part[part.startIndex..<split], as: UTF8.self)
            let content = Array(part[(split + 4)...])
            guard let name = headers.firstMatch(of: /name="([^"]*)"/)?.output.1 else { continue }
            if let filename = headers.firstMatch(of: /filename="([^"]*)"/)?.output.1 {
                file = (name: String(filename), data: content)
            } else {
                fields[String(name)] = String(decoding: content, as: UTF8.self)
            }
        }
        if parts.isEmpty { return nil }
        return (fields: fields, file: file)
    }
}
