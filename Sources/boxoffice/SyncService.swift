import ServiceLifecycle
import SyncAgent

/// The sync agent as a service of `serve --sync`'s service group: it syncs until the server stops,
/// and a round in progress is cancelled then, which the agent survives (its batches are atomic).
struct SyncService: Service {
    let agent: SyncAgent

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await agent.run() }
    }
}
