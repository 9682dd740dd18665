import Foundation

/// Reads a TextGrid saved as JSON, as the Montreal Forced Aligner writes it with
/// `--output_format json` (through praatio), in either of praatio's two layouts:
/// - `{"start", "end", "tiers": {"words": {"type": "IntervalTier", "entries": [[start, end, "label"], …]}, …}}`
/// - `{"xmin", "xmax", "tiers": [{"class": "IntervalTier", "name": "words", "xmin", "xmax", "entries": [[…], …]}, …]}`
/// Tiers, silence marks and `spn` are treated as in `TextGridParser`; point tiers are skipped.
enum TextGridJSONParser {
    static func parse(_ root: JSONNode, file: String) throws -> ParsedTimings {
        guard let tiersNode = root["tiers"] else { return ParsedTimings(source: .textGrid) }
        var named: [(name: String, node: JSONNode)] = []
        switch tiersNode.value {
        case .object(let members):
            named = members.map { ($0.key, $0.node) }
        case .array(let list):
            for (k, node) in list.enumerated() {
                guard let name = node["name"]?.string else {
                    throw EarshotError.badInput(file: file, location: "line \(node.line)", "tier \(k + 1) has no \"name\"")
                }
                named.append((name, node))
            }
        default:
            throw EarshotError.badInput(file: file, location: "line \(tiersNode.line)",
                                        "\"tiers\" is \(tiersNode.kindName); expected an object or an array of tiers")
        }
        var tiers: [TextGridParser.Tier] = []
        for (name, node) in named {
            guard node.isObject else {
                throw EarshotError.badInput(file: file, location: "line \(node.line)", "tier \"\(name)\" is \(node.kindName); expected an object")
            }
            let kind = (node["type"] ?? node["class"])?.string ?? ""
            let isInterval = ["intervaltier", "interval"].contains(kind.lowercased())
            var tier = TextGridParser.Tier(name: name, isInterval: isInterval, intervals: [])
            if isInterval {
                guard let entries = node["entries"]?.array else {
                    throw EarshotError.badInput(file: file, location: "line \(node.line)", "tier \"\(name)\" has no \"entries\" array")
                }
                for (i, entry) in entries.enumerated() {
                    guard let parts = entry.array, parts.count == 3,
                          let start = parts[0].number, let end = parts[1].number, let label = parts[2].string else {
                        throw EarshotError.badInput(file: file, location: "line \(entry.line)",
                                                    "entry \(i + 1) of tier \"\(name)\" is not [start, end, \"label\"]")
                    }
                    tier.intervals.append((start, end, label, entry.line))
                }
            }
            tiers.append(tier)
        }
        return ParsedTimings(words: try TextGridParser.words(from: tiers, file: file), source: .textGrid)
    }
}
