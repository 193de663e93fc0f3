/// One message of a chat conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks; Moonshot accepts these three.
    public enum Role: String, Sendable, Codable { case system, user, assistant }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
}
