/// A plain-text table for the terminal: every column as wide as its widest cell, columns two
/// spaces apart, so each column starts at the same offset on every row however long a cell is.
/// Cells are single-line; trailing spaces are trimmed.
struct TextTable {
    static let gap = "  "
    var header: [String]
    var rows: [[String]] = []

    init(header: [String]) { self.header = header }

    mutating func append(_ row: [String]) { rows.append(row) }

    /// The header and the rows, one line each, ending in a newline.
    func rendered() -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        var out = ""
        for row in all {
            var line = ""
            for (c, cell) in row.enumerated() {
                line += cell
                if c < row.count - 1 { line += String(repeating: " ", count: widths[c] - cell.count) + Self.gap }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
