import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The test-only JSON Schema validator rejects what it should, so that a report passing it
/// means something.
final class JSONSchemaValidatorTests: XCTestCase {
    static let schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "description": "test schema",
      "type": "object",
      "required": ["version", "level", "kind", "items"],
      "properties": {
        "version": {"const": "1"},
        "level": {"type": ["number", "null"], "minimum": -10, "maximum": 10},
        "count": {"type": "integer", "exclusiveMinimum": 0},
        "kind": {"enum": ["a", "b", null]},
        "code": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$", "minLength": 5},
        "pair": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "tags": {"type": "object", "propertyNames": {"enum": ["x", "y"]}, "additionalProperties": {"type": "boolean"}},
        "closed": {"type": "object", "properties": {"a": true}, "additionalProperties": false},
        "triple": {"const": [1, {"p": true, "q": null}, "s"]}
      },
      "$defs": {
        "item": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "score": {"$ref": "#/$defs/unit"}}},
        "unit": {"type": "number", "minimum": 0, "maximum": 1}
      }
    }
    """

    static let valid = """
    {"version": "1", "level": null, "count": 3, "kind": null, "code": "01:02", "pair": [6, 10.5],
     "items": [{"name": "n", "score": 0.5}, {"name": "m"}], "tags": {"x": true}, "closed": {"a": 1},
     "triple": [1.0, {"q": null, "p": true}, "s"], "extra": "fields may be added"}
    """

    func validator() throws -> JSONSchemaValidator { try JSONSchemaValidator(schemaText: Self.schema) }

    /// The violations of `valid` with `field` replaced by `replacement` (raw JSON), or removed.
    func violations(setting field: String, to replacement: String?) throws -> [JSONSchemaValidator.Violation] {
        let root = try JSONDocument.parse(Self.valid, file: "valid")
        guard case .object(var members) = root.value else { XCTFail("not an object"); return [] }
        if let replacement {
            let value = try JSONDocument.parse(replacement, file: "replacement")
            if let i = members.firstIndex(where: { $0.key == field }) { members[i].node = value } else { members.append((field, value)) }
        } else {
            members.removeAll { $0.key == field }
        }
        return try validator().validate(JSONNode(value: .object(members), line: 1))
    }

    func assertRejected(_ field: String, _ replacement: String?, keyword: String, pointer: String? = nil,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let found = try violations(setting: field, to: replacement)
        XCTAssertFalse(found.isEmpty, "\(field) = \(replacement ?? "(removed)") was accepted", file: file, line: line)
        XCTAssertTrue(found.contains { $0.keyword == keyword && $0.pointer == (pointer ?? "/" + field) },
                      "expected a '\(keyword)' violation at \(pointer ?? "/" + field), got \(found)", file: file, line: line)
    }

    func testValidDocumentPasses() throws {
        XCTAssertEqual(try validator().validate(jsonText: Self.valid), [])
        // Nullable number: a number in range is fine too; an integer-valued double is an integer.
        XCTAssertEqual(try violations(setting: "level", to: "-10"), [])
        XCTAssertEqual(try violations(setting: "count", to: "2.0"), [])
        XCTAssertEqual(try violations(setting: "kind", to: "\"b\""), [])
    }

    func testWrongTypesAreRejected() throws {
        try assertRejected("level", "\"loud\"", keyword: "type")
        try assertRejected("level", "true", keyword: "type")
        try assertRejected("count", "2.5", keyword: "type")
        try assertRejected("count", "null", keyword: "type")
        try assertRejected("items", "{}", keyword: "type")
        try assertRejected("pair", "[6, \"10\"]", keyword: "type", pointer: "/pair/1")
        // NaN is read by the JSON reader (Python writes it) but is not a JSON number.
        try assertRejected("level", "NaN", keyword: "type")
        try assertRejected("items", "[{\"name\": 3}]", keyword: "type", pointer: "/items/0/name")
    }

    func testMissingRequiredFieldsAreRejected() throws {
        try assertRejected("version", nil, keyword: "required", pointer: "")
        try assertRejected("items", "[{\"score\": 0.1}]", keyword: "required", pointer: "/items/0")
        let found = try violations(setting: "items", to: nil)
        XCTAssertTrue(found.contains { $0.message.contains("'items'") }, "\(found)")
    }

    func testOutOfRangeNumbersAreRejected() throws {
        try assertRejected("level", "10.001", keyword: "maximum")
        try assertRejected("level", "-11", keyword: "minimum")
        try assertRejected("count", "0", keyword: "exclusiveMinimum")
        try assertRejected("items", "[{\"name\": \"n\", \"score\": 1.5}]", keyword: "maximum", pointer: "/items/0/score")
        try assertRejected("pair", "[6]", keyword: "minItems")
        try assertRejected("pair", "[6, 8, 10]", keyword: "maxItems")
    }

    func testBadEnumsConstsAndPatternsAreRejected() throws {
        try assertRejected("kind", "\"c\"", keyword: "enum")
        try assertRejected("kind", "\"A\"", keyword: "enum")
        try assertRejected("version", "1", keyword: "const")
        try assertRejected("version", "\"2\"", keyword: "const")
        try assertRejected("triple", "[1, {\"p\": true}, \"s\"]", keyword: "const")
        try assertRejected("triple", "[1, {\"p\": false, \"q\": null}, \"s\"]", keyword: "const")
        try assertRejected("code", "\"1:02\"", keyword: "pattern")
        try assertRejected("code", "\"01:02:03\"", keyword: "pattern")
        try assertRejected("tags", "{\"z\": true}", keyword: "enum", pointer: "/tags/z (name)")
        try assertRejected("tags", "{\"x\": 1}", keyword: "type", pointer: "/tags/x")
        try assertRejected("closed", "{\"a\": 1, \"b\": 2}", keyword: "false", pointer: "/closed/b")
    }

    func testViolationsNameTheLine() throws {
        let text = "{\"version\": \"1\", \"kind\": \"a\",\n \"level\": 99,\n \"items\": []}"
        let found = try validator().validate(jsonText: text)
        XCTAssertEqual(found.map(\.description), ["/level (line 2): maximum: 99 is above 10"])
    }

    func testUnsupportedOrBrokenSchemasAreRefused() {
        for schema in [
            #"{"type": "object", "oneOf": [{"type": "string"}]}"#,          // a keyword the validator does not implement
            #"{"properties": {"a": {"format": "date-time"}}}"#,             // nested, too
            ##"{"$ref": "#/$defs/missing"}"##,                               // a dangling reference
            #"{"type": "float"}"#,                                           // no such type
            #"{"pattern": "([a-z]"}"#,                                       // not a regular expression
            #"{"items": 3}"#,                                                // a schema must be an object or boolean
        ] {
            XCTAssertThrowsError(try JSONSchemaValidator(schemaText: schema), schema)
        }
    }
}
