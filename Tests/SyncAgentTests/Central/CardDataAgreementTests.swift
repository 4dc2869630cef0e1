import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// What card data is exists twice — `CardData` (Swift) and head office's `rules/card_data.sql` —
/// and both find it in the same texts: the card-like strings of issue 15, their lookalikes (phones,
/// virtual accounts, QRIS and EDC references, `RT 05/RW 03`), the card filter's fuzz seeds, corpus
/// and regressions, and edge cases of each step; and both read the same digits of every script.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct CardDataAgreementTests {
    let central: PostgresConnection

    init() throws {
        let url = try TestPostgres.makeDatabase()
        try HeadOffice(url: url).initialise()
        central = try PostgresConnection(url: url)
    }

    /// Edge cases of each step of the rule, found and not.
    static let edges = [
        "", "4", "411111111111", "4111111111111", "4222222222222", "4111 1111 1111 1111 1111", "4111111111111111111",
        "41111111111111111111", "4111    1111 1111 1111", "4111 1111a1111 1111", "+4111 1111 1111 1111",
        "+62 4111 1111 1111 1111", "tel +62 812 4111 1111 1111 1111", "x4111111111111111x", "5105105105105100",
        "2221000000000009", "2720999999999999", "3056930009020004", "6200000000000005", "9360001234567893",
        "EXP 13/27", "EXP 00/27", "EXP 1/27", "EXP 12/2", "EXP 122", "EXP 1327", "exp date: 12/27", "exp date code 12/27",
        "exp a b c 12/27", "exp          12/27", "valid thru 12-2027", "berlaku 0128", "EXPIRES 122027",
        "CVV", "CVV 12", "CVV 12345", "CVV2 123", "cvc2: 4567", "CVN 2 123", "cid-123", "CVV 2", "cvvcode 123",
        "٤١١١١١١١١١١١١١١١", "४१११ ११११ ११११ ११११", "Budi ４１１１-１１１１-１１１１-１１１１", "ＥＸＰ １２/２７",
        "Ref 4111_1111_1111_1111 ok", "4111.1111.1111.1111", "0000 0000 0000 0000", "Sari\u{301} 4111111111111111",
    ]

    /// The card filter's fuzz inputs (seeds, corpus, regressions) that are text.
    static func fuzzInputs() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")
        var texts: [String] = []
        for folder in ["seeds", "corpus", "regressions"] {
            let directory = root.appendingPathComponent(folder).appendingPathComponent("card-filter")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.sorted() ?? [] {
                let data = try Data(contentsOf: directory.appendingPathComponent(name))
                // PostgreSQL text holds no NUL, and the filter reads text only.
                if let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") { texts.append(text) }
            }
        }
        return texts
    }

    @Test func bothFindCardDataInTheSameTexts() throws {
        let corpus = CardLikeStrings.all + CardLikeStrings.lookalikes + Self.edges + (try Self.fuzzInputs())
        #expect(corpus.count > 100)
        var found = 0
        for text in corpus {
            let swift = CardData.isPresent(in: text)
            let postgres = try central.query("SELECT central.card_data_in($1)", [text]).scalar
            #expect(postgres == (swift ? "t" : "f"), "\(text.debugDescription): Swift says \(swift)")
            if swift { found += 1 }
        }
        #expect(found >= CardLikeStrings.all.count)
        for text in CardLikeStrings.all { #expect(CardData.isPresent(in: text)) }
        for text in CardLikeStrings.lookalikes { #expect(!CardData.isPresent(in: text)) }
    }

    @Test func bothReadTheSameDigitsOfEveryScript() throws {
        var scalars: [Unicode.Scalar] = []
        for value in UInt32(1)...0x1FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            // Every digit, and the characters on either side of each run of them.
            if CardData.digit(scalar) != nil || CardData.digit(Unicode.Scalar(value + 1) ?? " ") != nil
                || CardData.digit(Unicode.Scalar(value - 1) ?? " ") != nil || value < 128 {
                scalars.append(scalar)
            }
        }
        let text = String(String.UnicodeScalarView(scalars))
        let result = try central.query("""
            SELECT coalesce(central.card_digit(c)::text, '-') FROM unnest(string_to_array($1, NULL)) WITH ORDINALITY u (c, n) ORDER BY n
            """, [text])
        let postgres = result.values.map { $0[0] ?? "-" }
        let swift = scalars.map { CardData.digit($0).map(String.init) ?? "-" }
        #expect(postgres.count == swift.count)
        for (index, scalar) in scalars.enumerated() where index < postgres.count && postgres[index] != swift[index] {
            Issue.record("U+\(String(scalar.value, radix: 16)): Swift \(swift[index]), PostgreSQL \(postgres[index])")
        }
        #expect(swift.filter { $0 != "-" }.count == 770, "Unicode's decimal digits up to U+1FFFF")
    }
}
