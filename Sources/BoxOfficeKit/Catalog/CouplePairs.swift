/// Which couple seats form a pair: the rule of how a couple seat is laid out and sold.
///
/// A couple seat is one half of a double seat for two. In a row of couple seats (the layout's
/// `couple J`), the seats that stand side by side without an aisle between them pair up from the
/// left: 1 with 2, 3 with 4, and so on. A block with an odd number of couple seats leaves its last
/// one alone, and it is sold alone. Naming either seat of a pair sells both (each at the couple
/// price); the seat map draws a pair as `C 1- 2` and gives each seat its partner (`paired_with`).
///
/// ```swift
/// let partners = CouplePairs.partners(of: seats)   // ["<J1's id>": "<J2's id>", "<J2's id>": "<J1's id>"]
/// ```
enum CouplePairs {
    /// A seat as the rule sees it.
    struct Place {
        var id: String
        var row: String
        var gridColumn: Int
        var isCouple: Bool
    }

    /// Every couple seat's partner, both ways, by seat id.
    static func partners(of seats: [Place]) -> [String: String] {
        var partners: [String: String] = [:]
        let rows = Dictionary(grouping: seats.filter(\.isCouple), by: \.row)
        for (_, seats) in rows {
            let ordered = seats.sorted { $0.gridColumn < $1.gridColumn }
            var index = 0
            while index + 1 < ordered.count {
                let left = ordered[index], right = ordered[index + 1]
                if right.gridColumn == left.gridColumn + 1 {
                    partners[left.id] = right.id
                    partners[right.id] = left.id
                    index += 2
                } else {
                    index += 1  // an aisle after `left`: it stays alone, the next block starts at `right`
                }
            }
        }
        return partners
    }
}

extension CouplePairs {
    /// Sets ``SeatMap/Seat/pairedWith`` on every couple seat of a seat map that has a partner.
    static func markPartners(_ seats: inout [SeatMap.Seat]) {
        guard seats.contains(where: { $0.kind == .couple }) else { return }
        let partners = partners(of: seats.map {
            Place(id: $0.id, row: $0.rowLabel, gridColumn: $0.gridColumn, isCouple: $0.kind == .couple)
        })
        let labels = Dictionary(seats.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first })
        for index in seats.indices {
            seats[index].pairedWith = partners[seats[index].id].flatMap { labels[$0] }
        }
    }
}
