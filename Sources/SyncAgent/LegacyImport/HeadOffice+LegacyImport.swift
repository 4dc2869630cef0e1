import BoxOfficeKit
import Foundation

extension HeadOffice {
    /// Head office's database, for a report: `head office (boxoffice on hq.example)`, no credentials.
    public var databaseDescription: String {
        guard let components = URLComponents(string: url), let host = components.host else { return "head office" }
        let name = components.path.drop { $0 == "/" }
        return "head office (\(name.isEmpty ? "database" : String(name)) on \(host))"
    }

    /// The old ids head office has imported, with the rows they name.
    ///
    /// ```swift
    /// let mapping = try headOffice.legacyIDs()
    /// ```
    ///
    /// - Throws: ``LegacyImportError/headOfficeNotReady`` when its schema predates the import.
    public func legacyIDs() throws -> LegacyIDMap {
        try requireImport()
        var mapping = LegacyIDMap()
        for row in try connection.query("SELECT entity, legacy_id, new_id FROM central.legacy_ids").values {
            guard let entity = row[0].flatMap(LegacyEntity.init(rawValue:)), let id = row[1].flatMap({ Int64($0) }),
                  let newID = row[2] else { continue }
            mapping[entity, id] = newID
        }
        return mapping
    }

    /// The node imported customers' accounts belong to: `name`, or head office's own node (the one
    /// node that serves every cinema) when `name` is `nil`.
    ///
    /// - Throws: ``LegacyImportError/customersNodeNotFound(_:)``, ``LegacyImportError/noCustomersNode``,
    ///   ``LegacyImportError/severalCustomersNodes(_:)``.
    public func customersNode(named name: String?) throws -> String {
        try requireImport()
        if let name {
            guard try connection.query("SELECT 1 FROM central.nodes WHERE name = $1", [name]).values.isEmpty == false else {
                throw LegacyImportError.customersNodeNotFound(name)
            }
            return name
        }
        let all = try connection.query("SELECT name FROM central.nodes WHERE all_cinemas ORDER BY name").values.compactMap { $0[0] }
        guard let first = all.first else { throw LegacyImportError.noCustomersNode }
        guard all.count == 1 else { throw LegacyImportError.severalCustomersNodes(all) }
        return first
    }

    /// Writes a planned batch into head office in one transaction and publishes every row, with
    /// its old ids, to the feed; the imported accounts belong to `customersNode`. A dry run settles
    /// everything and rolls it back.
    ///
    /// ```swift
    /// let outcome = try headOffice.importLegacy(plan.batch, customersNode: "hq", dryRun: false)
    /// ```
    ///
    /// - Returns: What head office settled against its rows (see ``ImportOutcome``).
    /// - Throws: ``LegacyImportError/targetRefused(_:)`` when head office refuses a row (nothing is
    ///   written); ``PostgresError`` when it cannot be reached.
    public func importLegacy(_ batch: ImportBatch, customersNode: String, dryRun: Bool) throws -> ImportOutcome {
        try requireImport()
        guard !batch.isEmpty else { return ImportOutcome() }
        let changes = try batch.headOfficeChanges()
        let json: String
        do {
            try connection.execute("BEGIN")
            do {
                json = try connection.query("SELECT central.import_legacy($1::jsonb, $2)", [changes, customersNode]).scalar ?? "{}"
                try connection.execute(dryRun ? "ROLLBACK" : "COMMIT")
            } catch {
                if connection.isHealthy { try? connection.execute("ROLLBACK") }
                throw error
            }
        } catch let error as PostgresError where !error.isConnectionFailure {
            throw LegacyImportError.targetRefused("head office refused a row: \(error.message)")
        }
        return try JSONDecoder().decode(ImportOutcome.self, from: Data(json.utf8))
    }

    private func requireImport() throws {
        let present = try connection.query("SELECT to_regprocedure('central.import_legacy(jsonb,text)') IS NOT NULL").scalar
        guard present == "t" else { throw LegacyImportError.headOfficeNotReady }
    }
}
