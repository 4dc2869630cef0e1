import BoxOfficeServer
import SyncAgent

/// `serve`'s way to head office for resolving conflicts from the counter screen: the sync agent, as
/// `boxoffice conflicts resolve` uses it.
struct HeadOfficeResolver: ConflictResolver {
    let agent: SyncAgent

    func resolve(conflict id: String, as resolution: ConflictResolution, by person: String) async throws {
        switch resolution {
        case let .seat(label): try await agent.resolveConflict(id, seat: label, by: person)
        case .refund: try await agent.resolveConflict(id, seat: nil, by: person)
        case .close: try await agent.resolveConflict(id, seat: nil, close: true, by: person)
        }
    }
}
