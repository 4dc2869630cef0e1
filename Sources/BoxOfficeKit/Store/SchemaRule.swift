import Crypto
import Foundation

/// One file of a store's rules (`schemas/sqlite/rules/NAME.sql`, `schemas/postgres/rules/NAME.sql`):
/// the triggers, views or functions that make one rule, with the version its header declares and
/// a checksum of its text.
///
/// Tables change by migrations, applied once each. Rules are code, and a store always runs the
/// rules of the build that opened it last: when any file's version or text differs from what the
/// store recorded, every rule is applied again. A store whose rules came from a newer build is
/// refused rather than downgraded.
///
/// A rule file starts with a `-- version: N` line (`# version: N` in the ownership table's CSV);
/// whoever edits the file raises `N`. A rule is
/// never removed: to retire one, leave the file with its comments only and a higher version.
///
/// ```swift
/// let rules = files.map { SchemaRule(name: $0.name, sql: $0.sql) }
/// if try SchemaRule.needApplying(rules, recorded: recorded) { /* drop and re-create them all */ }
/// ```
public struct SchemaRule: Sendable, Hashable {
    /// The file's name without `.sql`, e.g. `booking_states`.
    public var name: String
    /// The version the file's `-- version: N` line declares; 0 when it has none.
    public var version: Int
    /// The SHA-256 of the file's text, in hex.
    public var checksum: String
    /// The file's text.
    public var sql: String

    /// Reads a rule file's version line and checksums its text.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
        self.checksum = Hex.string(SHA256.hash(data: Data(sql.utf8)))
        self.version = sql.split(separator: "\n", omittingEmptySubsequences: false).lazy
            .compactMap { line -> Int? in
                // `--` in SQL files, `#` in the ownership table.
                guard let prefix = ["-- version: ", "# version: "].first(where: { line.hasPrefix($0) }) else { return nil }
                return Int(line.dropFirst(prefix.count))
            }
            .first ?? 0
    }

    /// What a store recorded about one rule file when it applied it.
    public struct Recorded: Sendable, Hashable {
        /// The version applied.
        public var version: Int
        /// The checksum of the text applied.
        public var checksum: String

        /// Creates a record.
        public init(version: Int, checksum: String) {
            self.version = version
            self.checksum = checksum
        }
    }

    /// Why a store's rules cannot be replaced by this build's.
    public enum Refusal: Error, Sendable, Hashable {
        /// A newer build applied these rules (each as `name version N`): this build would downgrade them.
        case newer([String])
        /// The store runs this version of the rule with other text: the file changed without a new version.
        case edited(name: String, version: Int)
    }

    /// Whether `rules` must be applied to a store that recorded `recorded` (by rule name).
    ///
    /// - Returns: `false` when the store runs exactly these rules.
    /// - Throws: ``Refusal`` when applying them would downgrade the store or hide an edit.
    public static func needApplying(_ rules: [SchemaRule], recorded: [String: Recorded]) throws(Refusal) -> Bool {
        let ours = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0) })
        let newer = recorded.filter { name, applied in (ours[name]?.version ?? 0) < applied.version }
            .map { "\($0.key) version \($0.value.version)" }.sorted()
        guard newer.isEmpty else { throw .newer(newer) }
        var differs = false
        for rule in rules {
            guard let applied = recorded[rule.name], applied.version == rule.version else {
                differs = true
                continue
            }
            guard applied.checksum == rule.checksum else { throw .edited(name: rule.name, version: rule.version) }
        }
        return differs
    }
}
