import Foundation

/// The one check of every text a person types that the kit keeps or prints: names, titles,
/// descriptions, payment references.
///
/// A text passes trimmed, and only when it
/// - holds no control character: no line break (a forged receipt line), no escape (terminal
///   control), no other C0 or C1 control, and no bidirectional override that would print it in
///   another order than it is stored;
/// - is at most its field's length;
/// - holds no card data (``CardData``): a card number, or a labelled expiry or CVV.
///
/// Every front gets it, because the kit's operations call it, not the fronts. A refusal names the
/// field and never repeats the text, which may be the very card number it keeps out.
///
/// ```swift
/// try HumanText.checked(" Sari ", field: "name", maximum: 100)        // "Sari"
/// try HumanText.checked("Line1\nTOTAL Rp 0", field: "name", maximum: 100)   // throws
/// ```
enum HumanText {
    /// `raw` trimmed, or an ``InputError`` naming `field`.
    ///
    /// - Parameters:
    ///   - raw: What was typed.
    ///   - field: The field, for the error (`name`, `title`).
    ///   - maximum: The most characters it may have.
    ///   - allowsEmpty: Whether an empty text (after trimming) is fine.
    /// - Throws: ``InputError`` for `field`.
    static func checked(_ raw: String, field: String, maximum: Int, allowsEmpty: Bool = false) throws(InputError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard allowsEmpty || !text.isEmpty else { throw InputError(field: field, reason: "must not be empty") }
        if let bad = text.unicodeScalars.first(where: isControl) {
            throw InputError(field: field, reason: "must not contain control characters (\(describe(bad)))")
        }
        guard text.count <= maximum else { throw InputError(field: field, reason: "must be at most \(maximum) characters") }
        guard !CardData.isPresent(in: text) else {
            throw InputError(field: field, reason: "must not contain card data (a card number, expiry or CVV)")
        }
        return text
    }

    /// What ``sanitised(_:maximum:)`` made of a text that was never checked when it was typed (an
    /// import from the old system): the text to keep, and what was changed, for a report.
    struct Sanitised: Sendable, Hashable {
        /// The text, which ``checked(_:field:maximum:allowsEmpty:)`` accepts; `nil` when nothing
        /// of it may be kept (it was empty, or it held card data).
        var text: String?
        /// What was changed, in words ("control characters replaced by spaces"); `nil` for nothing.
        var change: String?
    }

    /// `raw` made fit to keep instead of refused: control characters become spaces, the text is
    /// trimmed and cut to `maximum` characters, and a text that holds card data is not kept at all
    /// (no part of a card number is worth keeping in a name).
    ///
    /// ```swift
    /// HumanText.sanitised("Line1\nTOTAL Rp 0", maximum: 100).text    // "Line1 TOTAL Rp 0"
    /// HumanText.sanitised("Budi 4111111111111111", maximum: 100).text // nil
    /// ```
    static func sanitised(_ raw: String, maximum: Int) -> Sanitised {
        var changes: [String] = []
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            scalars.append(isControl(scalar) ? " " : scalar)
        }
        var text = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        if raw.unicodeScalars.contains(where: isControl) {
            changes.append("control characters replaced by spaces")
        }
        if text.count > maximum {
            text = String(text.prefix(maximum)).trimmingCharacters(in: .whitespacesAndNewlines)
            changes.append("cut to \(maximum) characters")
        }
        // Checked after the cut too: cutting a longer number short can leave a card number.
        if CardData.isPresent(in: text) {
            return Sanitised(text: nil, change: "held card data (a card number, expiry or CVV): not kept")
        }
        return Sanitised(text: text.isEmpty ? nil : text, change: changes.isEmpty ? nil : changes.joined(separator: ", "))
    }

    /// Whether `scalar` is a control character or a bidirectional formatting character.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true                    // C0, DEL, C1 (a line break, ESC)
        case 0x2028, 0x2029: true                              // line and paragraph separators
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true   // bidirectional marks and overrides
        default: false
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n", "\r", "\u{2028}", "\u{2029}": "a line break"
        case "\t": "a tab"
        case "\u{1B}": "an escape"
        default: "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
