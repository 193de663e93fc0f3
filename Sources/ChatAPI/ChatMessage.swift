/// One message of a chat conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks; Moonshot accepts these three.
    public enum Role: String, Sendable, Codable { case system, user, assistant }

    public var role: Role
    public var content: String
    /// On a last assistant message: Moonshot's partial mode, where the model continues `content`
    /// and the answer leaves it out.
    public var partial: Bool

    public init(role: Role, content: String, partial: Bool = false) {
        self.role = role
        self.content = content
        self.partial = partial
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// The start of an answer for the model to continue (partial mode).
    public static func prefix(_ content: String) -> ChatMessage {
        ChatMessage(role: .assistant, content: content, partial: true)
    }

    enum CodingKeys: String, CodingKey { case role, content, partial }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(Role.self, forKey: .role)
        content = try c.decode(String.self, forKey: .content)
        partial = try c.decodeIfPresent(Bool.self, forKey: .partial) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        try c.encode(content, forKey: .content)
        if partial { try c.encode(true, forKey: .partial) }
    }
}
