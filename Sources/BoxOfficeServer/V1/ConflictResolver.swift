/// Who settles a sync conflict at head office for `POST /v1/conflicts/{id}/resolution`: the seam
/// between the server and head office, which the server never reaches itself (`boxoffice serve`
/// hands it the sync agent; a server without one answers 503).
///
/// ```swift
/// struct AgentResolver: ConflictResolver {
///     let agent: SyncAgent
///     func resolve(conflict id: String, as resolution: ConflictResolution, by person: String) async throws {
///         switch resolution {
///         case let .seat(label): try await agent.resolveConflict(id, seat: label, by: person)
///         case .refund: try await agent.resolveConflict(id, seat: nil, by: person)
///         case .close: try await agent.resolveConflict(id, seat: nil, close: true, by: person)
///         }
///     }
/// }
/// ```
public protocol ConflictResolver: Sendable {
    /// Resolves conflict `id` at head office as `resolution` and brings the decision into the store.
    ///
    /// - Parameters:
    ///   - id: The conflict's id.
    ///   - resolution: Another seat, a refund, or closed as it stands.
    ///   - person: The email of the staff member who decided, for head office's record.
    /// - Throws: The kit's or the sync agent's error (head office out of reach, an unknown conflict,
    ///   a seat that is taken), answered by its kind.
    func resolve(conflict id: String, as resolution: ConflictResolution, by person: String) async throws
}
