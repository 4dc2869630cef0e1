import Foundation

/// The ownership table (`schemas/permissions.csv`): who may create, change or delete each kind of
/// row — at a counter, by role, and by push to head office.
///
/// There is one table. Head office loads it into `central.permissions` and follows its
/// ``Row/byPush`` column for every pushed change; the kit embeds the same file; tests on both
/// sides walk it row by row.
///
/// ```swift
/// let table = OwnershipTable.standard
/// table.row(entity: "movies", operation: .update)?.byPush   // .headOffice
/// ```
public struct OwnershipTable: Sendable, Hashable {
    /// Who acts.
    public enum Actor: String, Sendable, Hashable, CaseIterable {
        /// Nobody logged in (a customer registering).
        case anonymous
        /// A customer, for themselves.
        case customer
        /// A cashier at a counter.
        case cashier
        /// A manager of one cinema.
        case cinemaManager = "cinema_manager"
        /// Head office: a chain administrator.
        case headOffice = "head_office"
    }

    /// What an actor may do with a kind of row.
    public enum Grant: String, Sendable, Hashable {
        /// Any such row.
        case yes
        /// Only their own: a customer's own account and bookings, a cinema manager's own cinema.
        case own
        /// None.
        case no
    }

    /// Who may send a change to head office.
    public enum ByPush: String, Sendable, Hashable, CaseIterable {
        /// No node: it changes online at head office, or not at all.
        case never
        /// Only head office's own node (the `--all` node, head office's authoring channel).
        case headOffice = "head_office"
        /// A node of the row's cinema, by head office's records; or head office's node.
        case ownCinema = "own_cinema"
        /// The node that made the row (a ticket: the node that made its booking); or head office's node.
        case originNode = "origin_node"
        /// Any node.
        case anyNode = "any_node"
    }

    /// What a change does to a row.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case insert, update, delete
    }

    /// One line of the table.
    public struct Row: Sendable, Hashable {
        /// The table a change names; `users.customer` and `users.staff` are accounts by their role.
        public var entity: String
        /// What the change does.
        public var operation: Operation
        /// What each actor may do.
        public var grants: [Actor: Grant]
        /// Who may push it.
        public var byPush: ByPush
    }

    /// One action line of the table: something the kit checks at the counter that is no pushed
    /// change (paying at the counter, confirming a payment, settling a refund, reading the outbox).
    public struct ActionRow: Sendable, Hashable {
        /// The kind of row the action is about (`bookings`, `mail_outbox`).
        public var entity: String
        /// The action (`pay_at_counter`, `refund`, `list`).
        public var action: String
        /// What each actor may do.
        public var grants: [Actor: Grant]
    }

    /// The change rows (insert, update, delete), in the file's order: what head office loads.
    public var rows: [Row]
    /// The action rows, in the file's order: what only the kit checks.
    public var actions: [ActionRow]
    /// The file's `# version: N`.
    public var version: Int

    /// The table the kit was built with.
    public static let standard: OwnershipTable = {
        do {
            return try OwnershipTable(csv: EmbeddedSchema.table("permissions"))
        } catch {
            preconditionFailure("schemas/permissions.csv does not read: \(error)")   // a test reads it first
        }
    }()

    /// The action row for an entity and action; `nil` when the table does not list it (refused).
    public func actionRow(entity: String, action: String) -> ActionRow? {
        actions.first { $0.entity == entity && $0.action == action }
    }

    /// The row for an entity and operation; `nil` when the table does not list it (refused).
    public func row(entity: String, operation: Operation) -> Row? {
        rows.first { $0.entity == entity && $0.operation == operation }
    }

    /// Reads the table's CSV text: `#` comment lines, a header, then one row a line.
    public init(csv: String) throws(SchemaCSVMalformed) {
        let table = try SchemaCSV.read(csv, header: ["entity", "operation"] + Actor.allCases.map(\.rawValue) + ["by_push"]).get()
        var rows: [Row] = []
        var actions: [ActionRow] = []
        for line in table.lines {
            let cells = line.cells
            guard let byPush = ByPush(rawValue: cells[cells.count - 1]) else {
                throw SchemaCSVMalformed(description: "line \(line.number): \(cells.joined(separator: ","))")
            }
            var grants: [Actor: Grant] = [:]
            for (offset, actor) in Actor.allCases.enumerated() {
                guard let grant = Grant(rawValue: cells[2 + offset]) else {
                    throw SchemaCSVMalformed(description: "line \(line.number): \(actor.rawValue) is \(cells[2 + offset]), not yes, own or no")
                }
                grants[actor] = grant
            }
            guard let operation = Operation(rawValue: cells[1]) else {
                // An action: checked at the counter only, so no node ever sends it.
                guard byPush == .never, !cells[1].isEmpty,
                      !actions.contains(where: { $0.entity == cells[0] && $0.action == cells[1] })
                else {
                    throw SchemaCSVMalformed(description: "line \(line.number): the action \(cells[0]) \(cells[1]) is listed twice or pushed")
                }
                actions.append(ActionRow(entity: cells[0], action: cells[1], grants: grants))
                continue
            }
            guard !rows.contains(where: { $0.entity == cells[0] && $0.operation == operation }) else {
                throw SchemaCSVMalformed(description: "line \(line.number): \(cells[0]) \(operation.rawValue) twice")
            }
            rows.append(Row(entity: cells[0], operation: operation, grants: grants, byPush: byPush))
        }
        self.rows = rows
        self.actions = actions
        self.version = table.version
    }
}
