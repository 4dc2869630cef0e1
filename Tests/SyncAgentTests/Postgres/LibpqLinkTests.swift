import SyncAgent
import Testing

struct LibpqLinkTests {
    @Test func linksAtLeastLibpq15() {
        #expect(SyncAgent.libpqVersion >= 150_000)
    }
}
