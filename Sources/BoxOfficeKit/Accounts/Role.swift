/// What a user may do.
///
/// Roles are ordered: a manager may do all a cashier may, and a cashier all a customer may at the
/// counter. Customers act only for themselves.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Registers online or at a kiosk, books and pays for their own seats.
    case customer
    /// Sells at the counter, for customers or walk-ins.
    case cashier
    /// Manages the catalog and the staff, and may also sell.
    case manager

    private var rank: Int {
        switch self {
        case .customer: 0
        case .cashier: 1
        case .manager: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role may do what `required` may.
    public func includes(_ required: Role) -> Bool { self >= required }
}
