import BoxOfficeKit
import Foundation

/// Head office's side of sync, used with the owner's connection: set up the central schema,
/// register nodes, allot seats, choose a cinema's seat policy, and list and resolve conflicts.
///
/// ```swift
/// let headOffice = try HeadOffice(url: "postgresql://admin@hq.example/boxoffice")
/// try headOffice.initialise()
/// let node = try headOffice.addNode(named: "jkt-counter-1", cinemaID: jakartaID)
/// print(node.url)   // give this to the counter, on standard input: boxoffice sync --central -
/// ```
///
/// ## Topics
///
/// ### Setting up
/// - ``initialise()``
/// - ``addNode(named:cinemaID:)``
///
/// ### Seats
/// - ``allot(showtimeID:seats:to:)``
/// - ``setSeatPolicy(_:forCinema:)``
///
/// ### Conflicts
/// - ``conflicts(includeResolved:)``
/// - ``resolveConflict(_:withSeat:by:)``
/// - ``refundConflict(_:by:)``
public final class HeadOffice {
    let connection: PostgresConnection
    let url: String

    /// Connects to head office's PostgreSQL as its owner.
    ///
    /// - Throws: ``PostgresError`` when the server cannot be reached.
    public init(url: String, connectTimeout: Duration = .seconds(5)) throws(PostgresError) {
        self.url = url
        connection = try PostgresConnection(url: url, connectTimeout: connectTimeout, applicationName: "boxoffice-central")
    }

    /// Brings head office's database to this build's schema: the migrations it lacks, each once,
    /// and this build's rules (functions) when any differs from what the database runs. Running it
    /// again changes nothing.
    ///
    /// ```swift
    /// let changes = try headOffice.initialise()
    /// print(changes.isEmpty ? "up to date" : "applied \(changes.migrations), \(changes.rulesApplied) rule files")
    /// ```
    ///
    /// - Returns: What was applied now (nothing when head office was up to date).
    /// - Throws: ``CentralError/newerSchema(_:)`` when a newer build set the database up,
    ///   ``CentralError/madeByEarlierBuild`` for a database of an earlier development layout,
    ///   ``CentralError/ruleEdited(rule:version:)``; nothing is changed then.
    @discardableResult
    public func initialise() throws -> SchemaChanges {
        try CentralSchema.initialise(connection)
    }

    /// What ``initialise()`` applied.
    public struct SchemaChanges: Sendable, Hashable {
        /// The migrations applied, in order.
        public var migrations: [String] = []
        /// How many rule files were applied again (all of them, when any had changed); 0 when none.
        public var rulesApplied = 0
        /// Whether nothing was applied.
        public var isEmpty: Bool { migrations.isEmpty && rulesApplied == 0 }
    }

    /// Registers a counter (or, with `cinemaID` `nil`, a head-office node serving every cinema) and
    /// creates its own PostgreSQL role, which may only push and pull for its cinema.
    ///
    /// - Returns: The node's connection URL, with its role's password: give it to the counter.
    /// - Throws: ``PostgresError`` (the cinema is unknown, the name is taken or malformed).
    public func addNode(named name: String, cinemaID: String?) throws -> NodeRegistration {
        let password = Self.randomPassword()
        let role = try connection.query("SELECT central.add_node($1, $2, $3)", [name, cinemaID, password]).scalar ?? ""
        return NodeRegistration(name: name, role: role, cinemaID: cinemaID, url: nodeURL(role: role, password: password))
    }

    /// Allots seats of a showtime to one node: only that node sells them while offline.
    ///
    /// - Parameters:
    ///   - seats: Seat labels; ranges like `A1-A20` are expanded (see `SeatRange` in BoxOfficeKit).
    /// - Returns: How many seats were allotted.
    @discardableResult
    public func allot(showtimeID: String, seats: [String], to node: String) throws -> Int {
        let labels = try seats.flatMap { try SeatRange.expand($0) }
        let array = "{" + labels.map { "\"\($0)\"" }.joined(separator: ",") + "}"
        return Int(try connection.query("SELECT central.allot($1, $2::text[], $3)", [showtimeID, array, node]).scalar ?? "0") ?? 0
    }

    /// Settles the customer accounts pushes left pending: of two registrations of one email, the
    /// one head office received first keeps it, and the later one becomes its alias, its bookings
    /// moved to the first. The sync agent asks for this after every push that brings an account;
    /// head office runs it too (`boxoffice central merge-accounts`), should a counter never have.
    ///
    /// - Returns: How many accounts became aliases.
    @discardableResult
    public func mergeAccounts() throws(PostgresError) -> Int {
        Int(try connection.query("SELECT central.merge_accounts()").scalar ?? "0") ?? 0
    }

    /// Chooses how a cinema settles two sales of one seat.
    public func setSeatPolicy(_ policy: SeatPolicy, forCinema cinemaID: String) throws(PostgresError) {
        try connection.query("SELECT central.set_seat_policy($1, $2)", [cinemaID, policy.rawValue])
    }

    /// The conflicts head office has recorded, newest first.
    public func conflicts(includeResolved: Bool = false) throws -> [SyncConflict] {
        // The same shape as a counter's sync_conflicts rows, so both sides share one type.
        let result = try connection.query("""
            SELECT json_build_object(
                'id', id, 'kind', kind, 'node_name', node_name, 'entity', entity, 'entity_id', entity_id,
                'booking_id', booking_id, 'showtime_id', showtime_id, 'seat_before', seat_before,
                'seat_after', seat_after, 'reason', reason, 'status', status, 'resolution', resolution,
                'details', json_build_object('node_side', node_side, 'central_side', central_side)::text,
                'created_at', created_at::text, 'resolved_at', resolved_at::text)::text
            FROM central.conflicts
            WHERE $1::boolean OR status = 'open' ORDER BY created_at DESC, id
            """, [includeResolved ? "true" : "false"])
        let decoder = JSONDecoder()
        return try result.values.compactMap { $0[0] }.map { try decoder.decode(SyncConflict.self, from: Data($0.utf8)) }
    }

    /// Resolves a conflict by giving the ticket another seat.
    public func resolveConflict(_ id: String, withSeat seat: String, by person: String) throws(PostgresError) {
        try connection.query("SELECT central.resolve_conflict($1, $2, $3)", [id, seat, person])
    }

    /// Closes a conflict as it stands: a refused change stays refused, a reseated ticket keeps its
    /// new seat (the customer accepted it). A sale needing a refund is not closed so.
    public func closeConflict(_ id: String, by person: String) throws(PostgresError) {
        try connection.query("SELECT central.close_conflict($1, $2)", [id, person])
    }

    /// Resolves a conflict by refunding the booking.
    public func refundConflict(_ id: String, by person: String) throws(PostgresError) {
        try connection.query("SELECT central.resolve_conflict($1, NULL, $2)", [id, person])
    }
}
