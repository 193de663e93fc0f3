import Foundation

/// Replaces the API key, and any `Bearer …` credential, in text a server sent.
///
/// A server may echo what it was sent (a proxy's 401 often quotes the `Authorization` header), and
/// its messages end up in the report, the pages, the store and the log. Every message taken from a
/// server goes through here before it is kept or shown.
public struct SecretRedactor: Sendable {
    /// What stands where a secret was.
    public static let mark = "[redacted]"

    private let secrets: [String]

    /// - Parameter secrets: the strings never to show; empty ones and any under 4 characters (which
    ///   would match ordinary words) are left out.
    public init(secrets: [String?]) {
        self.secrets = secrets.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.count >= 4 }
            .sorted { $0.count > $1.count }
    }

    /// `text` with every secret and every bearer credential replaced.
    public func redact(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: Self.mark)
        }
        return text.replacingOccurrences(
            of: #"(?i)\b(bearer)\s+(?!\[redacted\])[^\s"',;]+"#, with: "$1 \(Self.mark)", options: .regularExpression
        )
    }

    /// The error with its message redacted, when it is a ``ChatAPIError``; others pass through.
    public func redact(_ error: any Error) -> any Error {
        guard var error = error as? ChatAPIError else { return error }
        error.message = redact(error.message)
        return error
    }
}
