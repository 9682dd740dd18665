import EarshotKit
import Foundation

/// Writes a JSON value to stdout exactly as earshot writes its JSON files (`JSONValue`:
/// two-space indents, scalar arrays on one line, numbers to 6 significant digits, one
/// trailing newline).
func printJSON(_ value: JSONValue) {
    FileHandle.standardOutput.write(Data(value.serialized().utf8))
}

/// Writes a Foundation value (dictionaries, arrays, strings, numbers, booleans, NSNull) to
/// stdout the same way, dictionary keys sorted.
func printJSON(_ value: Any) {
    printJSON(jsonValue(value))
}

/// A Foundation value as a `JSONValue`, dictionary keys sorted.
func jsonValue(_ value: Any) -> JSONValue {
    switch value {
    case let v as JSONValue: return v
    case is NSNull: return .null
    case let b as Bool: return .bool(b)
    case let i as Int: return .integer(i)
    case let x as Double: return .num(x)
    case let s as String: return .string(s)
    case let list as [Any]: return .array(list.map(jsonValue))
    case let object as [String: Any]: return .object(object.keys.sorted().map { ($0, jsonValue(object[$0]!)) })
    default: return .string("\(value)")
    }
}
