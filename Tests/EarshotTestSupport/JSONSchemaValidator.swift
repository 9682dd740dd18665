import Foundation
@testable import EarshotKit

/// A small JSON Schema (draft 2020-12) validator for tests: the keywords Earshot's schemas use
/// and no others. A schema with any other keyword is refused when the validator is made, so a
/// schema cannot pass a test by using a keyword that is silently ignored.
///
/// Supported: boolean schemas; `type` (a name or a list of names; "integer" is a number with no
/// fractional part; NaN and Infinity, which the reader accepts, are not numbers), `enum`, `const` (deep equality, numbers by value, object keys in any
/// order), `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers only),
/// `pattern` (strings only; unanchored, as ECMA-262 `RegExp.test`), `minLength`,
/// `properties`, `required`, `additionalProperties` (boolean or schema), `propertyNames`,
/// `items` (one schema for every element), `minItems`, `maxItems`, and `$ref` to a JSON pointer
/// inside the same document ("#/$defs/name"), applied beside its sibling keywords. Annotations
/// (`$schema`, `$id`, `$comment`, `title`, `description`, `examples`, `default`) and `$defs`
/// are accepted and not validated against.
struct JSONSchemaValidator {
    /// One failed check: where in the instance (a JSON pointer and the line the value starts
    /// on), which keyword failed, and how.
    struct Violation: CustomStringConvertible, Equatable {
        var pointer: String
        var line: Int
        var keyword: String
        var message: String
        var description: String { "\(pointer.isEmpty ? "/" : pointer) (line \(line)): \(keyword): \(message)" }
    }

    struct SchemaError: Error, CustomStringConvertible {
        var description: String
    }

    static let annotationKeywords: Set<String> = ["$schema", "$id", "$comment", "title", "description", "examples", "default", "$defs"]
    static let validationKeywords: Set<String> = [
        "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern", "minLength",
        "properties", "required", "additionalProperties", "propertyNames", "items", "minItems", "maxItems", "$ref",
    ]
    static let typeNames: Set<String> = ["null", "boolean", "object", "array", "number", "string", "integer"]

    let root: JSONNode
    private var patterns: [String: NSRegularExpression] = [:]

    init(schemaText: String, name: String = "schema") throws {
        try self.init(schema: JSONDocument.parse(schemaText, file: name))
    }

    init(schema: JSONNode) throws {
        root = schema
        try check(schema, pointer: "")
    }

    /// Every violation of the schema by `instance` (empty when it is valid).
    func validate(_ instance: JSONNode) -> [Violation] {
        var violations: [Violation] = []
        validate(instance, against: root, pointer: "", into: &violations)
        return violations
    }

    func validate(jsonText: String) throws -> [Violation] {
        validate(try JSONDocument.parse(jsonText, file: "instance"))
    }

    // MARK: - Schema checks (once, when the validator is made)

    private mutating func check(_ schema: JSONNode, pointer: String) throws {
        func fail(_ message: String) -> SchemaError { SchemaError(description: "schema \(pointer.isEmpty ? "/" : pointer) (line \(schema.line)): \(message)") }
        switch schema.value {
        case .bool: return
        case .object(let members):
            for (key, value) in members {
                let here = pointer + "/" + Self.escape(key)
                if Self.annotationKeywords.contains(key) {
                    if key == "$defs" {
                        guard case .object(let defs) = value.value else { throw fail("$defs must be an object") }
                        for (name, def) in defs { try check(def, pointer: here + "/" + Self.escape(name)) }
                    }
                    continue
                }
                guard Self.validationKeywords.contains(key) else { throw fail("unsupported keyword '\(key)'") }
                switch key {
                case "type":
                    let names: [JSONNode]
                    if case .array(let list) = value.value { names = list } else { names = [value] }
                    guard !names.isEmpty else { throw fail("type must not be an empty list") }
                    for n in names {
                        guard let name = n.string, Self.typeNames.contains(name) else { throw fail("unknown type \(Self.text(n))") }
                    }
                case "enum":
                    guard case .array = value.value else { throw fail("enum must be an array") }
                case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
                    guard value.number != nil else { throw fail("\(key) must be a number") }
                case "minLength", "minItems", "maxItems":
                    guard let n = value.number, n >= 0, n == n.rounded() else { throw fail("\(key) must be a non-negative integer") }
                case "pattern":
                    guard let p = value.string else { throw fail("pattern must be a string") }
                    do { patterns[p] = try NSRegularExpression(pattern: p) } catch { throw fail("pattern \(Self.text(value)) is not a regular expression") }
                case "required":
                    guard let list = value.array, list.allSatisfy({ $0.string != nil }) else { throw fail("required must be an array of strings") }
                case "properties":
                    guard case .object(let properties) = value.value else { throw fail("properties must be an object") }
                    for (name, sub) in properties { try check(sub, pointer: here + "/" + Self.escape(name)) }
                case "additionalProperties", "propertyNames", "items":
                    try check(value, pointer: here)
                case "$ref":
                    guard let ref = value.string else { throw fail("$ref must be a string") }
                    guard resolve(ref) != nil else { throw fail("$ref '\(ref)' does not point into this document") }
                default:
                    break  // const: any value
                }
            }
        default:
            throw fail("a schema must be an object or a boolean, not \(schema.kindName)")
        }
    }

    /// The subschema a local reference ("#", "#/$defs/x") points at.
    private func resolve(_ ref: String) -> JSONNode? {
        guard ref.hasPrefix("#") else { return nil }
        var node = root
        let path = ref.dropFirst()
        if path.isEmpty { return node }
        guard path.hasPrefix("/") else { return nil }
        for token in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node.value {
            case .object: guard let next = node[key] else { return nil }; node = next
            case .array(let items): guard let i = Int(key), items.indices.contains(i) else { return nil }; node = items[i]
            default: return nil
            }
        }
        return node
    }

    // MARK: - Validation

    private func validate(_ instance: JSONNode, against schema: JSONNode, pointer: String, into out: inout [Violation]) {
        func fail(_ keyword: String, _ message: String) {
            out.append(Violation(pointer: pointer, line: instance.line, keyword: keyword, message: message))
        }
        if case .bool(let allowed) = schema.value {
            if !allowed { fail("false", "no value is allowed here") }
            return
        }
        guard case .object(let keywords) = schema.value else { return }
        for (key, value) in keywords {
            switch key {
            case "$ref":
                validate(instance, against: resolve(value.string!)!, pointer: pointer, into: &out)
            case "type":
                let names: [String]
                if case .array(let list) = value.value { names = list.compactMap(\.string) } else { names = [value.string!] }
                if !names.contains(where: { Self.has(instance, type: $0) }) {
                    fail("type", "expected \(names.joined(separator: " or ")), found \(instance.kindName)")
                }
            case "enum":
                if !value.array!.contains(where: { Self.equal($0, instance) }) {
                    fail("enum", "\(Self.text(instance)) is not one of \(value.array!.map(Self.text).joined(separator: ", "))")
                }
            case "const":
                if !Self.equal(value, instance) { fail("const", "expected \(Self.text(value)), found \(Self.text(instance))") }
            case "minimum":
                if let x = instance.number, x < value.number! { fail("minimum", "\(Self.text(instance)) is below \(Self.text(value))") }
            case "maximum":
                if let x = instance.number, x > value.number! { fail("maximum", "\(Self.text(instance)) is above \(Self.text(value))") }
            case "exclusiveMinimum":
                if let x = instance.number, x <= value.number! { fail("exclusiveMinimum", "\(Self.text(instance)) is not above \(Self.text(value))") }
            case "exclusiveMaximum":
                if let x = instance.number, x >= value.number! { fail("exclusiveMaximum", "\(Self.text(instance)) is not below \(Self.text(value))") }
            case "pattern":
                if let s = instance.string {
                    let regex = patterns[value.string!]!
                    if regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil {
                        fail("pattern", "\(Self.text(instance)) does not match \(Self.text(value))")
                    }
                }
            case "minLength":
                if let s = instance.string, s.unicodeScalars.count < Int(value.number!) {
                    fail("minLength", "\(Self.text(instance)) is shorter than \(Int(value.number!)) characters")
                }
            case "minItems":
                if let items = instance.array, items.count < Int(value.number!) { fail("minItems", "\(items.count) items, expected at least \(Int(value.number!))") }
            case "maxItems":
                if let items = instance.array, items.count > Int(value.number!) { fail("maxItems", "\(items.count) items, expected at most \(Int(value.number!))") }
            case "items":
                if let items = instance.array {
                    for (i, item) in items.enumerated() { validate(item, against: value, pointer: pointer + "/\(i)", into: &out) }
                }
            case "required":
                if case .object(let members) = instance.value {
                    for name in value.array!.compactMap(\.string) where !members.contains(where: { $0.key == name }) {
                        fail("required", "missing property '\(name)'")
                    }
                }
            case "properties":
                if case .object(let members) = instance.value {
                    for (name, member) in members {
                        if let sub = value[name] { validate(member, against: sub, pointer: pointer + "/" + Self.escape(name), into: &out) }
                    }
                }
            case "additionalProperties":
                if case .object(let members) = instance.value {
                    for (name, member) in members where schema["properties"]?[name] == nil {
                        validate(member, against: value, pointer: pointer + "/" + Self.escape(name), into: &out)
                    }
                }
            case "propertyNames":
                if case .object(let members) = instance.value {
                    for (name, _) in members {
                        let nameNode = JSONNode(value: .string(name), line: instance.line)
                        validate(nameNode, against: value, pointer: pointer + "/" + Self.escape(name) + " (name)", into: &out)
                    }
                }
            default:
                break  // annotations
            }
        }
    }

    static func has(_ node: JSONNode, type: String) -> Bool {
        switch (type, node.value) {
        case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("string", .string):
            return true
        case ("number", .number(let x)):
            return x.isFinite  // the reader accepts NaN and Infinity; JSON has no such numbers
        case ("integer", .number(let x)):
            return x.isFinite && x == x.rounded()
        default:
            return false
        }
    }

    /// JSON equality: numbers by value, arrays element by element, objects by their key sets.
    static func equal(_ a: JSONNode, _ b: JSONNode) -> Bool {
        switch (a.value, b.value) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { member in y.contains { $0.key == member.key && equal($0.node, member.node) } }
        default: return false
        }
    }

    static func text(_ node: JSONNode) -> String {
        switch node.value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case .string(let s): return "\"\(s)\""
        case .array(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
        case .object(let members): return "{" + members.map { "\"\($0.key)\": " + text($0.node) }.joined(separator: ", ") + "}"
        }
    }

    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
