/// Where a booking was made.
///
/// ```swift
/// let online = bookings.filter { $0.channel == .online }
/// ```
public enum BookingChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// At a cinema's counter, by staff.
    case counter
    /// By the customer, for themselves.
    case online
    /// At a self-service kiosk.
    case kiosk
}
