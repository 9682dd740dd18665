import Foundation
@testable import EarshotKit

/// Small edits of parsed JSON for tests that break a valid document on purpose.
extension JSONNode {
    /// The value at `path` (object keys and array indices as text), if there is one.
    func node(at path: [String]) -> JSONNode? {
        guard let first = path.first else { return self }
        switch value {
        case .object: return self[first]?.node(at: Array(path.dropFirst()))
        case .array(let items):
            guard let i = Int(first), items.indices.contains(i) else { return nil }
            return items[i].node(at: Array(path.dropFirst()))
        default: return nil
        }
    }

    /// A copy with the value at `path` replaced by `replacement`, or removed when it is nil
    /// (removing an object member; array elements can only be replaced).
    func replacing(_ path: [String], with replacement: Value?) -> JSONNode {
        guard let first = path.first else { return replacement.map { JSONNode(value: $0, line: line) } ?? self }
        let rest = Array(path.dropFirst())
        switch value {
        case .object(var members):
            guard let i = members.firstIndex(where: { $0.key == first }) else {
                if rest.isEmpty, let replacement { members.append((first, JSONNode(value: replacement, line: line))) }
                return JSONNode(value: .object(members), line: line)
            }
            if rest.isEmpty && replacement == nil { members.remove(at: i) } else { members[i].node = members[i].node.replacing(rest, with: replacement) }
            return JSONNode(value: .object(members), line: line)
        case .array(var items):
            guard let i = Int(first), items.indices.contains(i) else { return self }
            items[i] = items[i].replacing(rest, with: replacement)
            return JSONNode(value: .array(items), line: line)
        default:
            return self
        }
    }

    /// Object keys that occur more than once in one object, anywhere in the document.
    var duplicateKeys: [String] {
        switch value {
        case .object(let members):
            var seen = Set<String>(), duplicates: [String] = []
            for (key, _) in members where !seen.insert(key).inserted { duplicates.append(key) }
            return duplicates + members.flatMap(\.node.duplicateKeys)
        case .array(let items): return items.flatMap(\.duplicateKeys)
        default: return []
        }
    }
}
