import Foundation
import GRDB

/// The rules of the local store (`schemas/sqlite/rules/`): its triggers and views, kept as this
/// build has them.
///
/// A store records the version and checksum of every rule file it runs (`store_rules`). Opening
/// it with a build whose rules differ drops every trigger and view and creates them all again, in
/// one transaction; opening it with the same build changes nothing. Rules are not part of any
/// migration: each migration runs with them dropped and puts them back in its own transaction, so
/// a migration that rebuilds a table never trips over a trigger or view, or loses one.
enum StoreRules {
    /// This build's rule files, in file-name order.
    static let rules: [SchemaRule] = EmbeddedSchema.rules.map { SchemaRule(name: $0.name, sql: $0.sql) }

    /// Whether the store's rules differ from this build's.
    ///
    /// - Throws: ``StoreError/newerSchema(path:parts:)`` or ``StoreError/ruleEdited(path:rule:version:)``.
    static func needApplying(_ db: Database, path: String) throws -> Bool {
        guard try db.tableExists("store_rules") else { return true }
        let recorded = try Row.fetchAll(db, sql: "SELECT name, version, checksum FROM store_rules").reduce(into: [:]) {
            $0[$1["name"] as String] = SchemaRule.Recorded(version: $1["version"], checksum: $1["checksum"])
        }
        do {
            return try SchemaRule.needApplying(rules, recorded: recorded)
        } catch .newer(let parts) {
            throw StoreError.newerSchema(path: path, parts: parts)
        } catch .edited(let name, let version) {
            throw StoreError.ruleEdited(path: path, rule: name, version: version)
        }
    }

    /// Replaces the store's triggers and views with this build's rules when they differ, in the
    /// caller's write transaction.
    static func apply(_ db: Database, path: String, now: Date) throws {
        guard try needApplying(db, path: path) else { return }
        try replace(db, now: now)
    }

    /// Drops every trigger and view of the store: what a migration runs without.
    static func drop(_ db: Database) throws {
        let existing = try Row.fetchAll(db, sql: """
            SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') AND name NOT LIKE 'sqlite_%'
            """)
        for object in existing {
            try db.execute(sql: "DROP \(object["type"] == "view" ? "VIEW" : "TRIGGER") IF EXISTS \((object["name"] as String).quotedDatabaseIdentifier)")
        }
    }

    /// Drops every trigger and view, creates this build's rules and records them.
    static func replace(_ db: Database, now: Date) throws {
        try drop(db)
        for rule in rules {
            try db.execute(sql: rule.sql)
        }
        try db.execute(sql: "DELETE FROM store_rules")
        for rule in rules {
            try db.execute(sql: "INSERT INTO store_rules (name, version, checksum, applied_at) VALUES (?, ?, ?, ?)",
                           arguments: [rule.name, rule.version, rule.checksum, now])
        }
    }
}
