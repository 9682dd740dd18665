import Foundation
@testable import EarshotKit

/// The checkout the tests run in: its root folder (for the bundled DeviceProfiles/, Reports/,
/// Examples/) and a validator for report.json against the committed schema.
enum TestPackage {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func schemaValidator() throws -> JSONSchemaValidator {
        let path = root.appendingPathComponent("Reports/report.schema.json").path
        return try JSONSchemaValidator(schemaText: String(contentsOfFile: path, encoding: .utf8), name: path)
    }
}
