/// How head office settles two sales of one seat made offline.
public enum SeatPolicy: String, Sendable, CaseIterable, Codable {
    /// The sale head office accepted first keeps the seat; the other is moved or refunded.
    case firstAccepted = "first-accepted"
    /// The earlier sale (by its HLC sale stamp) takes the seat until the showtime starts.
    case earliestSaleWins = "earliest-sale-wins"
}
