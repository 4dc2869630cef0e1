/// How a person settles a sync conflict.
public enum ConflictResolution: Sendable, Hashable {
    /// Give the ticket this seat (a label such as `F14`) instead.
    case seat(String)
    /// Refund the booking.
    case refund
    /// Close it as it stands: a refused change stays refused, a reseated ticket keeps its new seat.
    case close
}
