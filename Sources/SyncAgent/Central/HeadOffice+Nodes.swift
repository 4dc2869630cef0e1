import Foundation

extension HeadOffice {
    /// What ``revokeNode(named:)`` did.
    public struct Revocation: Sendable, Hashable, Codable {
        /// Seats that were allotted to the node, now the cinema's again.
        public var releasedAllotments: Int
        /// The node's holds that had not run out, expired so that their seats sell again.
        public var expiredHolds: Int
        /// The highest booking code of the node head office received, if any.
        public var highestCode: String?
        /// Codes of the node's prefix below ``highestCode`` that head office never received (at most
        /// 1,000): sales the counter may have made offline that reached no one.
        public var missingCodes: [String]
        /// How many codes are missing in all.
        public var missingCount: Int

        enum CodingKeys: String, CodingKey {
            case releasedAllotments = "released_allotments"
            case expiredHolds = "expired_holds"
            case highestCode = "highest_code"
            case missingCodes = "missing_codes"
            case missingCount = "missing_count"
        }
    }

    /// Gives a node a new password: the old URL stops working at once (its open sessions end), and
    /// the counter syncs on with the new one, its store and place in the feed unchanged.
    ///
    /// - Returns: The node's new sync URL. Keep it secret.
    /// - Throws: ``PostgresError`` for an unknown or revoked node.
    public func rotateNode(named name: String) throws -> NodeRegistration {
        let password = Self.randomPassword()
        let role = try connection.query("SELECT central.rotate_node($1, $2)", [name, password]).scalar ?? ""
        let cinema = try connection.query("SELECT cinema_id FROM central.nodes WHERE name = $1", [name]).scalar
        return NodeRegistration(name: name, role: role, cinemaID: cinema, url: nodeURL(role: role, password: password))
    }

    /// Stops a node for good — a counter lost, stolen or in the wrong hands: it can no longer log
    /// in, its allotted seats and live holds are released, and its paid sales stand.
    ///
    /// ```swift
    /// let revocation = try headOffice.revokeNode(named: "braga-2")
    /// print(revocation.missingCodes)   // sales it may have made that never reached head office
    /// ```
    ///
    /// - Throws: ``PostgresError`` for an unknown node or one revoked already.
    public func revokeNode(named name: String) throws -> Revocation {
        let json = try connection.query("SELECT central.revoke_node($1)::text", [name]).scalar ?? "{}"
        return try JSONDecoder().decode(Revocation.self, from: Data(json.utf8))
    }

    /// The URL a node logs in with: head office's, as the role `role`.
    func nodeURL(role: String, password: String) -> String {
        var components = URLComponents(string: url) ?? URLComponents()
        components.user = role
        components.password = password
        return components.string ?? url
    }

    /// A new password for a node's role.
    static func randomPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

extension HeadOffice {
    /// What ``cancelShowtime(id:reason:)`` did.
    public struct ShowtimeCancellation: Sendable, Hashable, Codable {
        /// The cancelled showtime.
        public var showtimeID: String
        /// Paid bookings now kept for a refund, each with a `refund_required` conflict record.
        public var refundRequired: Int
        /// Holds and unconfirmed payments cancelled (no money was taken).
        public var cancelledHolds: Int
        /// Tickets that held a seat of the showtime, released.
        public var releasedTickets: Int
        /// The conflict records made, one per paid booking.
        public var conflictIDs: [String]

        enum CodingKeys: String, CodingKey {
            case showtimeID = "showtime_id"
            case refundRequired = "refund_required"
            case cancelledHolds = "cancelled_holds"
            case releasedTickets = "released_tickets"
            case conflictIDs = "conflict_ids"
        }
    }

    /// Cancels a showtime at head office: the showtime reaches its cinema's counters as cancelled,
    /// every paid booking of it is kept for a refund (its seats released, a `refund_required`
    /// conflict record saying the showtime was cancelled by head office), and its holds are cancelled.
    /// A sale a counter made offline before it heard, pushed later, is kept for a refund the same way.
    ///
    /// ```swift
    /// let cancellation = try headOffice.cancelShowtime(id: "sh-1", reason: "projector broken")
    /// print(cancellation.refundRequired)   // paid sales to refund
    /// ```
    ///
    /// - Parameters:
    ///   - id: The showtime's id.
    ///   - reason: Staff's words, kept on the conflict records (at most 200 characters).
    /// - Throws: ``PostgresError`` for a showtime head office does not have.
    public func cancelShowtime(id: String, reason: String? = nil) throws -> ShowtimeCancellation {
        let json = try connection.query("SELECT central.cancel_showtime($1, $2)::text", [id, reason]).scalar ?? "{}"
        return try JSONDecoder().decode(ShowtimeCancellation.self, from: Data(json.utf8))
    }
}
