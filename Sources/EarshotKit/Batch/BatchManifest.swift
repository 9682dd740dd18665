import Foundation

/// A list of episodes in a file, for series whose files do not sit in one folder per episode.
/// JSON: `{"episodes": [{"name": …, "mix": …, "dialogue": …, "me": …, "music": …, "effects": …,
/// "words": …}]}`; CSV: a header row with the same column names (any order, `name` required)
/// and one row per episode, empty cells for missing inputs. Relative paths resolve against the
/// manifest's folder.
public enum BatchManifest {
    public static let columns = ["name", "mix", "dialogue", "me", "music", "effects", "words"]

    public static func read(path: String) throws -> [BatchEpisode] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EarshotError.badInput(file: path, "no such manifest file")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw EarshotError.badInput(file: path, "cannot read the manifest (\(error.localizedDescription))")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw EarshotError.badInput(file: path, "the manifest is not UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let folder = (path as NSString).deletingLastPathComponent
        let rows: [(location: String, fields: [String: String])]
        switch (path as NSString).pathExtension.lowercased() {
        case "json": rows = try jsonRows(text, path: path)
        case "csv": rows = try csvRows(text, path: path)
        default:
            throw EarshotError.badInput(file: path, "a manifest must end in .json or .csv")
        }
        if rows.isEmpty { throw EarshotError.badInput(file: path, "the manifest lists no episodes") }
        var episodes: [BatchEpisode] = []
        for (location, fields) in rows {
            let name = fields["name"] ?? ""
            try BatchEpisode.checkName(name, file: path, location: location)
            func resolve(_ key: String) -> String? {
                guard let value = fields[key], !value.isEmpty else { return nil }
                if value.hasPrefix("/") { return value }
                return URL(fileURLWithPath: value, relativeTo: URL(fileURLWithPath: folder.isEmpty ? "." : folder, isDirectory: true)).standardizedFileURL.path
            }
            var inputs = ScenarioInputs()
            for role in ScenarioInputs.Role.allCases { inputs.paths[role] = resolve(role.rawValue) }
            var problem: EarshotError?
            do { try inputs.validate() } catch let error as EarshotError {
                problem = .badInput(file: path, location: location, "episode '\(name)': " + manifestWording(error.message))
            }
            episodes.append(BatchEpisode(name: name, inputs: inputs, wordsPath: resolve("words"), problem: problem))
        }
        try BatchEpisode.checkUnique(episodes, file: path)
        return episodes.sorted { $0.name < $1.name }
    }

    /// The input check speaks of command-line options; in a manifest they are columns.
    static func manifestWording(_ message: String) -> String {
        if message.hasPrefix("no input") { return "no usable stem: give mix, or stems (dialogue with me, or music and effects)" }
        return message.replacingOccurrences(of: "--", with: "")
    }

    static func jsonRows(_ text: String, path: String) throws -> [(location: String, fields: [String: String])] {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            if let located = JSONDocument.syntaxError(in: Array(text.utf8), file: path) { throw located }
            throw EarshotError.badInput(file: path, "not valid JSON (\((error as NSError).userInfo["NSDebugDescription"] ?? error.localizedDescription))")
        }
        guard let object = root as? [String: Any], let list = object["episodes"] as? [Any] else {
            throw EarshotError.badInput(file: path, location: "field 'episodes'", "expected {\"episodes\": [{\"name\": …, \"mix\": …, …}]}")
        }
        return try list.enumerated().map { i, item in
            let location = "episodes[\(i)]"
            guard let entry = item as? [String: Any] else {
                throw EarshotError.badInput(file: path, location: location, "expected an object with name, mix, dialogue, me, music, effects, words")
            }
            var fields: [String: String] = [:]
            for (key, value) in entry {
                guard columns.contains(key) else {
                    throw EarshotError.badInput(file: path, location: "\(location).\(key)", "unknown field; known: \(columns.joined(separator: ", "))")
                }
                if value is NSNull { continue }
                guard let s = value as? String else {
                    throw EarshotError.badInput(file: path, location: "\(location).\(key)", "expected a string (a path or the name)")
                }
                fields[key] = s
            }
            return (location, fields)
        }
    }

    static func csvRows(_ text: String, path: String) throws -> [(location: String, fields: [String: String])] {
        let records = try CSVText.records(text, path: path)
        guard let (headerLine, header) = records.first else { return [] }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (i, column) in names.enumerated() where !columns.contains(column) {
            throw EarshotError.badInput(file: path, location: "line \(headerLine), column \(i + 1)",
                "unknown column '\(header[i])'; the header names columns from: \(columns.joined(separator: ", "))")
        }
        guard names.contains("name") else {
            throw EarshotError.badInput(file: path, location: "line \(headerLine)", "the header has no 'name' column")
        }
        if Set(names).count != names.count {
            throw EarshotError.badInput(file: path, location: "line \(headerLine)", "a column appears twice in the header")
        }
        return try records.dropFirst().map { line, cells in
            guard cells.count == names.count else {
                throw EarshotError.badInput(file: path, location: "line \(line)", "\(cells.count) cells, but the header has \(names.count) columns")
            }
            var fields: [String: String] = [:]
            for (column, cell) in zip(names, cells) { fields[column] = cell.trimmingCharacters(in: .whitespaces) }
            return ("line \(line)", fields)
        }
    }
}

/// Comma-separated values as RFC 4180 writes them: double-quoted cells may hold commas, line
/// breaks and doubled quotes. Blank lines are skipped.
enum CSVText {
    /// The records with the line each starts on (1-based).
    static func records(_ text: String, path: String) throws -> [(line: Int, cells: [String])] {
        var records: [(Int, [String])] = []
        var cells: [String] = [], cell = ""
        var inQuotes = false, quotedCell = false
        var line = 1, recordLine = 1
        var chars = Array(text.unicodeScalars)[...]
        func endRecord() {
            cells.append(cell)
            if !(cells.count == 1 && cells[0].trimmingCharacters(in: .whitespaces).isEmpty && !quotedCell) { records.append((recordLine, cells)) }
            cells = []; cell = ""; quotedCell = false
        }
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); cell.unicodeScalars.append(c) } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    cell.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                if !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw EarshotError.badInput(file: path, location: "line \(line)", "a quote inside an unquoted cell; quote the whole cell")
                }
                cell = ""; inQuotes = true; quotedCell = true
            case ",":
                cells.append(cell); cell = ""
            case "\r":
                if chars.first == "\n" { continue }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                cell.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw EarshotError.badInput(file: path, location: "line \(recordLine)", "a quoted cell is not closed") }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        return records
    }
}
