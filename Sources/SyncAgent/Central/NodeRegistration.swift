/// A node head office has registered.
public struct NodeRegistration: Sendable, Hashable, Codable {
    /// The node's name, as head office calls it.
    public var name: String
    /// The PostgreSQL role the node logs in as.
    public var role: String
    /// The cinema it serves; `nil` for a head-office node that serves all.
    public var cinemaID: String?
    /// The libpq URL the counter syncs with, including its role's password. Keep it secret.
    public var url: String
}
