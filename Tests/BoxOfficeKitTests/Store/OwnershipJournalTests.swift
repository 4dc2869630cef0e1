import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// The counter's side of the ownership table (`schemas/permissions.csv`): the store journals a
/// change for head office exactly when the table says some node may send it, and the table and the
/// change log's payloads (`schemas/payloads.csv`) name the same synced tables.
struct OwnershipJournalTests {
    @Test func theTablesReadAndNameTheSameSyncedTables() {
        let table = OwnershipTable.standard, shape = PayloadShape.standard
        #expect(table.version > 0 && shape.version > 0)
        let tableEntities = Set(table.rows.map { $0.entity.hasPrefix("users.") ? "users" : $0.entity })
        #expect(tableEntities == Set(shape.entities), "every synced table has rows in the ownership table, and no other")
        for entity in shape.entities.filter({ $0 != "users" && $0 != "seat_blocks" }) + ["users.customer", "users.staff"] {
            for operation in OwnershipTable.Operation.allCases {
                #expect(table.row(entity: entity, operation: operation) != nil, "\(entity) \(operation.rawValue)")
            }
        }
        // A seat block is put or lifted, never changed.
        #expect(table.row(entity: "seat_blocks", operation: .update) == nil)
    }

    @Test func theStoreJournalsExactlyWhatSomeNodeMaySend() throws {
        let store = try TestStore()
        let triggers = Set(try store.box.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_log\\_%' ESCAPE '\\'")
        })
        for row in OwnershipTable.standard.rows {
            let table = row.entity.hasPrefix("users.") ? "users" : row.entity
            let journalled = triggers.contains("\(table)_log_\(row.operation.rawValue)")
            switch row.entity {
            case "users.staff":
                // The account triggers journal customers only; a staff account is head office's.
                #expect(row.byPush == .never)
            case "users.customer" where row.operation != .delete:
                #expect(journalled && row.byPush != .never, "\(row.entity) \(row.operation.rawValue)")
            default:
                #expect(journalled == (row.byPush != .never), "\(row.entity) \(row.operation.rawValue): by push \(row.byPush)")
            }
        }
    }

    @Test func aStaffAccountIsNeverJournalledAndACustomerIs() async throws {
        let fixture = try await CatalogFixture()
        let box = fixture.box
        let count = { try await box.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE entity = 'users'") ?? 0 } }
        let before = try await count()
        _ = try await box.accounts.addStaff(
            name: "Budi", email: "budi@example.com", role: .cashier, password: "budi-pass-123", by: fixture.manager)
        #expect(try await count() == before, "a staff account made at a counter stays there")
        _ = try await box.accounts.register(name: "Sari", email: "sari@example.com", phone: "+6281234567890",
                                            password: "sari-pass-123")
        #expect(try await count() == before + 1)
    }
}
