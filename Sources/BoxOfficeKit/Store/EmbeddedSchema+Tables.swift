extension EmbeddedSchema {
    /// The text of `schemas/<name>.csv`, embedded at build time; empty when there is none (a test
    /// that reads the table then fails on it).
    static func table(_ name: String) -> String {
        tables.first { $0.name == name }?.csv ?? ""
    }
}
