import BoxOfficeKit

/// Head office's schema as this build has it (`schemas/postgres/`): the migrations (tables) and the
/// rules (functions), and how `central init` brings a database to them.
///
/// Migrations are applied once each, in order, recorded in `public.boxoffice_migrations`. The
/// rules, and the tables they follow (`schemas/*.csv`, loaded into `central.permissions` and
/// `central.payload_fields`), are recorded with their version and checksum in
/// `public.boxoffice_rules`; when any
/// differs from this build's, every function of the `central` and `sync_api` schemas is dropped and
/// every rule file applied again, so no function of an older build survives. All of it happens in
/// one transaction: a failure leaves head office as it was, and an unchanged head office is not
/// touched at all.
enum CentralSchema {
    /// This build's rule files, in file-name order.
    static let rules: [SchemaRule] = EmbeddedSchema.rules.map { SchemaRule(name: $0.name, sql: $0.sql) }

    /// The tables the rules follow (`schemas/*.csv`: the ownership table, the change log's
    /// payloads), recorded among the rules so that a changed table is loaded again like a changed rule.
    static let tables: [SchemaRule] = EmbeddedSchema.tables.map { SchemaRule(name: $0.name + ".csv", sql: $0.csv) }

    /// Everything `central init` records in `public.boxoffice_rules`.
    static var recordedRules: [SchemaRule] { rules + tables }

    /// The table of the layout before rules had files of their own (development builds up to
    /// December 2026): a database that has it is refused with "re-create it".
    static let earlierLayoutTable = "public.boxoffice_schema_versions"

    /// Brings the database to this build's schema, in one transaction.
    ///
    /// - Throws: ``CentralError/madeByEarlierBuild``, ``CentralError/newerSchema(_:)`` or
    ///   ``CentralError/ruleEdited(rule:version:)`` (nothing is changed), or ``PostgresError``.
    static func initialise(_ connection: PostgresConnection) throws -> HeadOffice.SchemaChanges {
        try connection.transaction { connection in
            if try connection.query("SELECT to_regclass($1) IS NOT NULL", [earlierLayoutTable]).scalar == "t" {
                throw CentralError.madeByEarlierBuild
            }
            // One initialiser at a time: a table lock, which no node role may take (an advisory
            // lock's key anyone connected could hold).
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS public.boxoffice_migrations (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE IF NOT EXISTS public.boxoffice_rules (
                    name text PRIMARY KEY, version integer NOT NULL, checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                REVOKE ALL ON public.boxoffice_migrations, public.boxoffice_rules FROM PUBLIC;
                LOCK TABLE public.boxoffice_migrations IN EXCLUSIVE MODE;
                """)
            let applied = Set(try connection.query("SELECT name FROM public.boxoffice_migrations").values.compactMap { $0[0] })
            let unknown = applied.subtracting(EmbeddedSchema.migrations.map(\.name))
            guard unknown.isEmpty else { throw CentralError.newerSchema(unknown.sorted()) }
            let recorded = try connection.query("SELECT name, version, checksum FROM public.boxoffice_rules").values
                .reduce(into: [String: SchemaRule.Recorded]()) { records, row in
                    records[row[0] ?? ""] = SchemaRule.Recorded(version: Int(row[1] ?? "") ?? 0, checksum: row[2] ?? "")
                }
            let rulesDiffer: Bool
            do throws(SchemaRule.Refusal) {
                rulesDiffer = try SchemaRule.needApplying(recordedRules, recorded: recorded)
            } catch .newer(let parts) {
                throw CentralError.newerSchema(parts)
            } catch .edited(let name, let version) {
                throw CentralError.ruleEdited(rule: name, version: version)
            }

            var done = HeadOffice.SchemaChanges()
            for migration in EmbeddedSchema.migrations where !applied.contains(migration.name) {
                try connection.execute(migration.sql)
                try connection.query("INSERT INTO public.boxoffice_migrations (name) VALUES ($1)", [migration.name])
                done.migrations.append(migration.name)
            }
            if rulesDiffer || !done.migrations.isEmpty {
                try applyRules(connection)
                done.rulesApplied = rules.count
            }
            return done
        }
    }

    /// Drops every function of head office's schemas and creates this build's rules, then records them.
    private static func applyRules(_ connection: PostgresConnection) throws {
        try connection.execute("""
            DO $$
            DECLARE
                f regprocedure;
                t record;
            BEGIN
                -- A rule's trigger depends on its function; the rule file makes it again.
                FOR t IN SELECT tg.tgname, tg.tgrelid::regclass AS rel FROM pg_catalog.pg_trigger tg
                         JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'central' AND NOT tg.tgisinternal LOOP
                    EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.rel);
                END LOOP;
                FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname IN ('central', 'sync_api') LOOP
                    EXECUTE 'DROP FUNCTION ' || f::text;
                END LOOP;
            END
            $$;
            """)
        // A rule may call a function of a file applied after its own.
        try connection.execute("SET LOCAL check_function_bodies = off")
        for rule in rules {
            try connection.execute(rule.sql)
        }
        // Only what a rule file grants explicitly (the sync_api functions, to node roles) may be called.
        try connection.execute("""
            REVOKE ALL ON ALL FUNCTIONS IN SCHEMA central FROM PUBLIC;
            REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sync_api FROM PUBLIC;
            DELETE FROM public.boxoffice_rules;
            DELETE FROM central.permissions;
            DELETE FROM central.payload_fields;
            """)
        for row in OwnershipTable.standard.rows {
            try connection.query("INSERT INTO central.permissions (entity, operation, by_push) VALUES ($1, $2, $3)",
                                 [row.entity, row.operation.rawValue, row.byPush.rawValue])
        }
        for (position, field) in PayloadShape.standard.fields.enumerated() {
            try connection.query("""
                INSERT INTO central.payload_fields (entity, key, type, nullable, position) VALUES ($1, $2, $3, $4, $5)
                """, [field.entity, field.key, field.type.rawValue, field.nullable ? "true" : "false", String(position)])
        }
        for rule in recordedRules {
            try connection.query("INSERT INTO public.boxoffice_rules (name, version, checksum) VALUES ($1, $2, $3)",
                                 [rule.name, String(rule.version), rule.checksum])
        }
    }
}
