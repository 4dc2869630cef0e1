import Foundation

/// One row of `bench-results.json` and of the printed table.
///
/// The keys `scenario`, `kit`, `baseline`, `unit` and `ratio` are always present (`null` where a
/// figure is missing); the latency fields, the size and the note are extra.
struct ScenarioResult: Encodable {
    var scenario: String
    var kit: Double?
    var baseline: Double?
    var unit: String
    /// What was measured and at which size, or why it was not.
    var note: String?
    var kitP50Milliseconds: Double?
    var kitP99Milliseconds: Double?
    var baselineP50Milliseconds: Double?
    var baselineP99Milliseconds: Double?
    /// How many operations (sales, queries, rows) each side ran.
    var size: Int?
    /// Process CPU time (all threads, user + system) per operation: what each side costs the
    /// machine, beside what it costs the caller in wall time.
    var kitCPUMilliseconds: Double?
    var baselineCPUMilliseconds: Double?
    /// `pull` only: the same rows inserted as they are into the kit's own tables on raw SQLite
    /// (per second), the part of the figure that the store's schema sets before any kit code runs.
    var schemaFloor: Double?

    /// Kit over baseline; for every scenario here, higher kit figures are better.
    var ratio: Double? {
        guard let kit, let baseline, baseline > 0 else { return nil }
        return kit / baseline
    }

    static func unmeasured(_ scenario: String, unit: String, because reason: String) -> ScenarioResult {
        ScenarioResult(scenario: scenario, kit: nil, baseline: nil, unit: unit, note: "not measured: " + reason)
    }

    enum CodingKeys: String, CodingKey {
        case scenario, kit, baseline, unit, ratio, note, size
        case kitP50Milliseconds = "kit_p50_ms", kitP99Milliseconds = "kit_p99_ms"
        case baselineP50Milliseconds = "baseline_p50_ms", baselineP99Milliseconds = "baseline_p99_ms"
        case kitCPUMilliseconds = "kit_cpu_ms_per_op", baselineCPUMilliseconds = "baseline_cpu_ms_per_op"
        case schemaFloor = "schema_floor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(kit.map(Self.rounded), forKey: .kit)
        try container.encode(baseline.map(Self.rounded), forKey: .baseline)
        try container.encode(unit, forKey: .unit)
        try container.encode(ratio.map { ($0 * 1000).rounded() / 1000 }, forKey: .ratio)
        try container.encodeIfPresent(kitP50Milliseconds.map(Self.rounded), forKey: .kitP50Milliseconds)
        try container.encodeIfPresent(kitP99Milliseconds.map(Self.rounded), forKey: .kitP99Milliseconds)
        try container.encodeIfPresent(baselineP50Milliseconds.map(Self.rounded), forKey: .baselineP50Milliseconds)
        try container.encodeIfPresent(baselineP99Milliseconds.map(Self.rounded), forKey: .baselineP99Milliseconds)
        try container.encodeIfPresent(kitCPUMilliseconds.map(Self.rounded), forKey: .kitCPUMilliseconds)
        try container.encodeIfPresent(baselineCPUMilliseconds.map(Self.rounded), forKey: .baselineCPUMilliseconds)
        try container.encodeIfPresent(schemaFloor.map(Self.rounded), forKey: .schemaFloor)
        try container.encodeIfPresent(size, forKey: .size)
        try container.encodeIfPresent(note, forKey: .note)
    }

    /// Three decimals: enough for milliseconds and ratios, no float noise in the file.
    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

/// Prints results as an aligned text table.
enum ResultsTable {
    static func render(_ results: [ScenarioResult]) -> String {
        let header = ["scenario", "kit", "baseline", "ratio", "unit", "kit p50/p99 ms", "baseline p50/p99 ms", "cpu ms/op kit/baseline"]
        var rows = [header]
        for result in results {
            rows.append([
                result.scenario, format(result.kit), format(result.baseline),
                result.ratio.map { String(format: "%.2f", $0) } ?? "–", result.unit,
                latency(result.kitP50Milliseconds, result.kitP99Milliseconds),
                latency(result.baselineP50Milliseconds, result.baselineP99Milliseconds),
                latency(result.kitCPUMilliseconds, result.baselineCPUMilliseconds),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                column == 0 || column == 4 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
        let notes = results.compactMap { result in result.note.map { "  \(result.scenario): \($0)" } }
        return (lines + (notes.isEmpty ? [] : ["", "notes:"] + notes)).joined(separator: "\n")
    }

    private static func format(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }

    private static func latency(_ p50: Double?, _ p99: Double?) -> String {
        guard let p50, let p99 else { return "" }
        return String(format: "%.3f / %.3f", p50, p99)
    }
}
