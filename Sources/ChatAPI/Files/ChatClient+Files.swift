import Foundation
import NIOHTTP1

extension ChatClient {
    /// Uploads `data` as a file named `name` (`POST /files`, multipart) for `purpose`.
    /// - Throws: ``ChatAPIError`` `.invalidRequest` for an empty file or one over 100 MB, before sending.
    public func uploadFile(named name: String, data: Data, purpose: RemoteFile.Purpose) async throws -> RemoteFile {
        guard !data.isEmpty else {
            throw ChatAPIError(.invalidRequest, "\(name) is empty; the Files API refuses empty files")
        }
        guard data.count <= RemoteFile.maxBytes else {
            throw ChatAPIError(.invalidRequest, "\(name) is \(data.count) bytes, over the Files API's 100 MB")
        }
        let boundary = "precis-\(UUID().uuidString)"
        let body = Self.multipart(boundary: boundary, fields: ["purpose": purpose.rawValue], file: (name, data))
        return try await withDeadline(configuration.requestTimeout) {
            let response = try await self.send(
                .POST, url: self.configuration.baseURL + "/files", body: body, stream: false,
                contentType: "multipart/form-data; boundary=\(boundary)")
            return try Self.decode(
                RemoteFile.self, try await self.collect(response.body, limit: 1 << 20), what: "the uploaded file")
        }
    }

    /// The files on the server (`GET /files`), so that uploads a killed run left can be found.
    public func files() async throws -> [RemoteFile] {
        struct Page: Decodable { var data: [RemoteFile] }
        return try await withDeadline(.seconds(60)) {
            let response = try await self.send(.GET, "/files", body: nil, stream: false)
            return try Self.decode(
                Page.self, try await self.collect(response.body, limit: 16 << 20), what: "the file list"
            ).data
        }
    }

    /// A file's content (`GET /files/{id}/content`): a batch's output JSONL, or what extraction read.
    public func fileContent(_ id: String, limit: Int = RemoteFile.maxBytes) async throws -> Data {
        try await withDeadline(configuration.requestTimeout) {
            let response = try await self.send(.GET, "/files/\(id)/content", body: nil, stream: false)
            return Data(try await self.collect(response.body, limit: limit))
        }
    }

    /// Deletes a file (`DELETE /files/{id}`); the account keeps at most 1,000.
    public func deleteFile(_ id: String) async throws {
        try await withDeadline(.seconds(60)) {
            _ = try await self.collect(
                try await self.send(.DELETE, "/files/\(id)", body: nil, stream: false).body, limit: 1 << 20)
        }
    }

    /// A `multipart/form-data` body with text fields and one file.
    static func multipart(boundary: String, fields: [String: String], file: (name: String, data: Data)) -> Data {
        var body = Data()
        func line(_ text: String) { body.append(Data((text + "\r\n").utf8)) }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            line("--\(boundary)")
            line("Content-Disposition: form-data; name=\"\(name)\"")
            line("")
            line(value)
        }
        let filename = file.name.replacingOccurrences(of: "\"", with: "_")
        line("--\(boundary)")
        line("Content-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"")
        line("Content-Type: application/octet-stream")
        line("")
        body.append(file.data)
        line("")
        line("--\(boundary)--")
        return body
    }

    /// `bytes` as `T`, or a malformed-response error naming `what`.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw ChatAPIError(
                .malformedResponse,
                "\(what) is not what the API documents: \(String(decoding: bytes.prefix(160), as: UTF8.self))")
        }
    }
}
