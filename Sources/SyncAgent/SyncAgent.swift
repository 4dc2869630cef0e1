import BoxOfficeKit
import CLibpq

/// Reconciles a counter's store with head office's PostgreSQL: pushes the change log up and pulls
/// the cinema's feed down (see ARCHITECTURE.md section 4).
///
/// The agent arrives with the sync issue; for now this module only links libpq, the client it
/// will speak PostgreSQL through.
public enum SyncAgent {
    /// The version of the libpq the agent is linked against, e.g. `150018` for 15.18.
    public static var libpqVersion: Int { Int(PQlibVersion()) }
}
