/// A node head office has registered; head office knows it by its name, which is its ``id``.
public struct NodeRegistration: Sendable, Hashable, Codable, Identifiable {
    /// The node's id at head office: its name.
    public var id: String { name }
    /// The node's name, as head office calls it.
    public var name: String
    /// The PostgreSQL role the node logs in as.
    public var role: String
    /// The cinema it serves; `nil` for a head-office node that serves all.
    public var cinemaID: String?
    /// The libpq URL the counter syncs with, including its role's password. Keep it secret.
    public var url: String

    enum CodingKeys: String, CodingKey {
        case id, name, role, url
        case cinemaID = "cinema_id"
    }

    /// Reads a registration (its `id` is its name and is not read).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        role = try container.decode(String.self, forKey: .role)
        cinemaID = try container.decodeIfPresent(String.self, forKey: .cinemaID)
        url = try container.decode(String.self, forKey: .url)
    }

    /// Creates a registration.
    public init(name: String, role: String, cinemaID: String?, url: String) {
        self.name = name
        self.role = role
        self.cinemaID = cinemaID
        self.url = url
    }

    /// Writes the registration with its `id` (`schemas/json/node-registration.schema.json`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(cinemaID, forKey: .cinemaID)
        try container.encode(url, forKey: .url)
    }
}
