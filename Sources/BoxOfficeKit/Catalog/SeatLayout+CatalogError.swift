extension SeatLayout {
    /// Parses a layout spec and generates its seats.
    ///
    /// ```swift
    /// let layout = try SeatLayout(parsing: "rows A-E; seats 1-12; aisles after 6; wheelchair A1-A2")
    /// ```
    ///
    /// The grammar and the generation are `init(validating:)` in `SeatLayout.swift`; this file only
    /// gives their refusal the kit's error type, which the fuzz build (`scripts/fuzz.sh`) leaves out.
    ///
    /// - Parameter spec: The spec; see ``SeatLayout``.
    /// - Throws: ``CatalogError/layoutSpecInvalid(_:)`` naming what is wrong.
    public init(parsing spec: String) throws(CatalogError) {
        do {
            try self.init(validating: spec)
        } catch {
            throw .layoutSpecInvalid(error.reason)
        }
    }
}
