extension LegacyImportReport {
    /// The report for a person: the target and zones, a table of counts, the notes and the skipped
    /// rows with their reasons. It names rows by their old ids only: no name, email, phone or card
    /// data of any customer.
    ///
    /// ```swift
    /// print(report.text)
    /// // Imported the old database into store ./boxoffice.sqlite.
    /// // TABLE            READ  IMPORTED  BEFORE  SKIPPED
    /// // users               4         4       0        0
    /// // …
    /// ```
    public var text: String {
        var lines: [String] = []
        lines.append(dryRun ? "Dry run: nothing was written. Importing the old database into \(target) would do this."
                            : importedNothing ? "Nothing to import into \(target): every row was imported before, or is skipped."
                            : "Imported the old database into \(target).")
        lines.append("Old timestamps read in \(timeZone); imported cinemas keep time in \(cinemaTimeZone).")
        if let customersNode { lines.append("Imported customers' accounts belong to node \(customersNode).") }
        lines.append("")
        let header = ["TABLE", "READ", dryRun ? "TO IMPORT" : "IMPORTED", "BEFORE", "SKIPPED"]
        let rows = tables.map { [$0.name, String($0.read), String($0.imported), String($0.alreadyImported), String($0.skippedCount)] }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                           : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  "))
        }
        if cardDataDropped > 0 {
            lines.append("")
            lines.append("Card data dropped from \(cardDataDropped) old booking\(cardDataDropped == 1 ? "" : "s"): never imported, logged or printed.")
        }
        for table in tables where !table.notes.isEmpty || !table.skipped.isEmpty {
            lines.append("")
            lines.append("\(table.name):")
            for note in table.notes {
                lines.append("  " + (note.legacyID.map { "old \(Self.rowNoun[table.name] ?? table.name) \($0): " } ?? "") + note.text)
            }
            for skip in table.skipped {
                let ids = skip.legacyIDs.prefix(20).map(String.init).joined(separator: ", ")
                    + (skip.legacyIDs.count > 20 ? ", …" : "")
                lines.append("  skipped \(skip.count): \(skip.reason)" + (ids.isEmpty ? "" : " (old ids \(ids))"))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What one row of each old table is, for the notes.
    static let rowNoun = [
        "users": "user", "sessions": "session", "cinemas": "cinema", "studios": "studio", "seats": "seat",
        "movies": "movie", "showtimes": "showtime", "payment_methods": "payment method", "booking_seats": "booking",
    ]
}
