/// The short prefix that makes this node's booking codes unique across all nodes without asking
/// anyone: six characters of an alphabet with no look-alikes (no 0/O, 1/I/L), about 2^30 choices.
enum BookingCodePrefix {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<6).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
