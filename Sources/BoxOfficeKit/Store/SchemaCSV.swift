/// The text of one of the CSV tables in `schemas/` that both stores follow (the ownership table, the
/// change log's payloads): `#` comment lines, one of which is `# version: N`, a header, then one row
/// a line. Cells hold no commas or quotes, so a line splits at its commas.
struct SchemaCSV {
    /// A data line: its number in the file, from 1, and its cells.
    struct Line {
        var number: Int
        var cells: [String]
    }

    /// The file's `# version: N`.
    var version: Int
    /// The data lines, in the file's order.
    var lines: [Line]

    /// Reads `text`, whose header must be `header`; `nil` with the reason when it does not read.
    static func read(_ text: String, header: [String]) -> Result<SchemaCSV, SchemaCSVMalformed> {
        var version = 0
        var sawHeader = false
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("# version: ") { version = Int(line.dropFirst("# version: ".count)) ?? 0 }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard sawHeader else {
                guard cells == header else {
                    return .failure(SchemaCSVMalformed(description: "line \(index + 1): the header is not \(header.joined(separator: ","))"))
                }
                sawHeader = true
                continue
            }
            guard cells.count == header.count else {
                return .failure(SchemaCSVMalformed(description: "line \(index + 1): \(cells.count) cells, not \(header.count): \(line)"))
            }
            lines.append(Line(number: index + 1, cells: cells))
        }
        guard sawHeader, version > 0 else { return .failure(SchemaCSVMalformed(description: "no header or no # version line")) }
        return .success(SchemaCSV(version: version, lines: lines))
    }
}

/// Why one of the tables of `schemas/` does not read: the line, from 1, and what is wrong with it.
public struct SchemaCSVMalformed: Error, CustomStringConvertible, Sendable {
    /// The line and what is wrong with it.
    public var description: String
}
