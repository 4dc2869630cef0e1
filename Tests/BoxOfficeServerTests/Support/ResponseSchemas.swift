import Foundation
import Testing
import TestSupport

/// Checks a `/v1` body against its schema in `schemas/json/` with `scripts/check_json.py`, as the
/// CLI's `--json` outputs are: under `make test` (`BOXOFFICE_JSON_OUTPUTS`) kept for the one check
/// after `swift test`, otherwise checked at once (``JSONSchemaCheck``).
enum ResponseSchemas {
    static func check(_ body: Data, against schema: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let folder = JSONSchemaCheck.keptOutputs {
            do {
                try JSONSchemaCheck.keep(body, schema: schema, in: folder)
            } catch {
                Issue.record("cannot keep the body for scripts/check_json.py: \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        let complaints = JSONSchemaCheck.problems(schema: schema, json: body)
        if !complaints.isEmpty {
            Issue.record("the body breaks schemas/json/\(schema).schema.json: \(complaints)", sourceLocation: sourceLocation)
        }
    }
}
