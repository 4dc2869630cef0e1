import Foundation
import TestSupport
import Testing

/// Runs `boxoffice-bench --tiny` once, so the benchmark code keeps compiling and running. Timings
/// are never asserted: only that every scenario ran and the JSON has the agreed shape.
struct BenchmarkSmokeTests {
    static let scenarios: Set<String> = [
        "sale", "seat_map", "concurrent_sales_2", "concurrent_sales_4", "push", "push_one_cinema_4", "pull", "convergence_10",
        "peak_rss_mb_10k", "peak_rss_mb_50k", "http",
    ]

    @Test(.timeLimit(.minutes(3)))
    func tinyRunWritesEveryScenario() throws {
        let directory = try CLIRunner().directory
        let output = directory.appendingPathComponent("bench-results.json")
        let process = Process()
        process.executableURL = BuiltProducts.boxofficeBench
        process.arguments = ["--tiny", "--output", output.path]
        process.currentDirectoryURL = directory
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let printed = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(errors)")

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: output))
        let rows = try #require(json as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["scenario"] as? String }) == Self.scenarios)
        #expect(rows.count == Self.scenarios.count)
        for row in rows {
            for key in ["scenario", "kit", "baseline", "unit", "ratio"] {
                #expect(row.keys.contains(key), "\(row["scenario"] ?? "?") lacks \(key)")
            }
        }
        // The SQLite scenarios need no server, so they always have both figures.
        for scenario in ["sale", "seat_map", "concurrent_sales_2", "concurrent_sales_4"] {
            let row = rows.first { $0["scenario"] as? String == scenario }
            #expect(row?["kit"] is NSNumber && row?["baseline"] is NSNumber && row?["ratio"] is NSNumber, "\(scenario)")
        }
        // With the test server, the PostgreSQL baselines ran too.
        if TestPostgres.isAvailable {
            for scenario in ["push", "pull"] {
                let row = rows.first { $0["scenario"] as? String == scenario }
                #expect(row?["baseline"] is NSNumber, "\(scenario)")
            }
            let pull = rows.first { $0["scenario"] as? String == "pull" }
            #expect(pull?["schema_floor"] is NSNumber, "pull also measures its schema floor")
        }
        #expect(printed.contains("scenario") && printed.contains("seat_map"))
    }
}
