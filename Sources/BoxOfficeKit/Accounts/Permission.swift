/// A change the ownership table (`schemas/permissions.csv`) governs: an operation on a kind of
/// row, and whose row it is. Every kit operation that writes such a row asks the table through one
/// of these before it writes anything, so the table's role columns are the one rule of who may.
///
/// ```swift
/// try principal.require(.insert(.movies, doing: "add a movie"))
/// // a cinema's manager: not allowed: only head office may add a movie
/// try principal.require(.insert(.studios, of: .cinema(braga.id), doing: "add a studio"))
/// // allowed for head office, and for Braga's own manager
/// ```
public struct Permission: Sendable, Hashable {
    /// A kind of row the table lists (its `entity` column).
    public enum Entity: String, Sendable, Hashable, CaseIterable {
        /// A cinema.
        case cinemas
        /// A studio of a cinema.
        case studios
        /// A seat of a studio's layout.
        case seats
        /// A movie: the whole chain's.
        case movies
        /// A showtime of a cinema.
        case showtimes
        /// A payment method: the whole chain's.
        case paymentMethods = "payment_methods"
        /// A seat blocked for a showtime.
        case seatBlocks = "seat_blocks"
        /// A customer's account.
        case customers = "users.customer"
        /// A cashier's or manager's account.
        case staff = "users.staff"
        /// A booking.
        case bookings
        /// A ticket of a booking.
        case tickets
    }

    /// Whose row a change touches, which decides the table's `own` cells.
    public enum Owner: Sendable, Hashable {
        /// A row of this cinema: its own manager's.
        case cinema(String)
        /// A row of this customer (an account, a booking): theirs; `nil` for a walk-in's booking or
        /// another customer's, which no customer owns.
        case customer(String?)
        /// A row nobody owns (a new cinema, a movie, a payment method).
        case nobody
    }

    /// The kind of row.
    public let entity: Entity
    /// What the change does to it.
    public let operation: OwnershipTable.Operation
    /// Whose row it is.
    public let owner: Owner
    /// What the caller tries, for the refusal ("add a movie").
    public let doing: String

    /// A change of `operation` to a row of `entity` owned by `owner`.
    public init(_ operation: OwnershipTable.Operation, _ entity: Entity, of owner: Owner = .nobody, doing: String? = nil) {
        self.entity = entity
        self.operation = operation
        self.owner = owner
        self.doing = doing ?? "\(operation.verb) \(entity.noun)"
    }

    /// Adding a row.
    public static func insert(_ entity: Entity, of owner: Owner = .nobody, doing: String? = nil) -> Permission {
        Permission(.insert, entity, of: owner, doing: doing)
    }

    /// Changing a row.
    public static func update(_ entity: Entity, of owner: Owner = .nobody, doing: String? = nil) -> Permission {
        Permission(.update, entity, of: owner, doing: doing)
    }

    /// Removing a row.
    public static func delete(_ entity: Entity, of owner: Owner = .nobody, doing: String? = nil) -> Permission {
        Permission(.delete, entity, of: owner, doing: doing)
    }

    /// The table's cell for `actor`: `.no` when the table does not list the change (refused).
    public func grant(for actor: OwnershipTable.Actor) -> OwnershipTable.Grant {
        OwnershipTable.standard.row(entity: entity.rawValue, operation: operation)?.grants[actor] ?? .no
    }

    /// Whether `principal` (`nil`: nobody logged in) may make this change.
    public func allows(_ principal: Principal?) -> Bool {
        let actor = principal?.actor ?? .anonymous
        switch grant(for: actor) {
        case .yes: return true
        case .no: return false
        case .own:
            guard let principal else { return false }
            switch (actor, owner) {
            case let (.cinemaManager, .cinema(cinema)): return cinema == principal.cinemaID
            case let (.customer, .customer(user)): return user == principal.userID
            default: return false
            }
        }
    }

    /// Throws ``AccountError/notAllowed(_:)`` unless `principal` (`nil`: nobody logged in) may make
    /// this change.
    ///
    /// - Throws: ``AccountError/notAllowed(_:)``, in words that say who may.
    public func require(by principal: Principal?) throws(AccountError) {
        guard allows(principal) else { throw AccountError.notAllowed(refusal) }
    }

    /// Who may, in a cashier's words: "only head office may add a movie".
    var refusal: String {
        let granted = OwnershipTable.Actor.allCases.filter { grant(for: $0) == .yes }
        var who: [String]
        if [.cashier, .cinemaManager, .headOffice].allSatisfy(granted.contains) {
            who = granted.filter { $0 == .anonymous || $0 == .customer }.map(\.people) + ["staff"]
        } else {
            who = granted.map(\.people)
        }
        // An `own` cell names the owner only where this row has one the actor could be.
        for actor in OwnershipTable.Actor.allCases where grant(for: actor) == .own {
            switch (actor, owner) {
            case (.cinemaManager, .cinema): who.append("the cinema's own manager")
            case (.customer, .customer(.some)): who.append("its own customer")
            default: break
            }
        }
        guard let last = who.last else { return "nobody may \(doing)" }
        let list = who.count == 1 ? last : who.dropLast().joined(separator: ", ") + " or " + last
        return "only \(list) may \(doing)"
    }
}

extension Principal {
    /// The ownership table's column for this principal: a customer, a cashier; a manager of one
    /// cinema is that cinema's manager (`cinema_manager`, whose own rows are the cinema's); a
    /// manager of no cinema — a chain administrator, or the first manager of a store made by
    /// `init` or `demo` — acts as `head_office` (docs/head-office-authority.md, "Who is who").
    public var actor: OwnershipTable.Actor {
        switch role {
        case .customer: .customer
        case .cashier: .cashier
        case .manager: cinemaID == nil ? .headOffice : .cinemaManager
        }
    }

    /// Whether the ownership table lets this principal make `permission`'s change.
    public func may(_ permission: Permission) -> Bool { permission.allows(self) }

    /// Throws unless the ownership table lets this principal make `permission`'s change.
    ///
    /// ```swift
    /// try manager.require(.update(.cinemas, of: .cinema(id), doing: "edit a cinema"))
    /// ```
    ///
    /// - Throws: ``AccountError/notAllowed(_:)``, in words that say who may.
    public func require(_ permission: Permission) throws(AccountError) {
        try permission.require(by: self)
    }
}

extension OwnershipTable.Actor {
    /// The actor's people, as a refusal names them.
    var people: String {
        switch self {
        case .anonymous: "someone not logged in"
        case .customer: "customers"
        case .cashier: "cashiers"
        case .cinemaManager: "cinema managers"
        case .headOffice: "head office"
        }
    }
}

extension OwnershipTable.Operation {
    var verb: String {
        switch self {
        case .insert: "add"
        case .update: "change"
        case .delete: "remove"
        }
    }
}

extension Permission.Entity {
    var noun: String {
        switch self {
        case .paymentMethods: "payment methods"
        case .seatBlocks: "blocked seats"
        case .customers: "customer accounts"
        case .staff: "staff accounts"
        default: rawValue
        }
    }
}
