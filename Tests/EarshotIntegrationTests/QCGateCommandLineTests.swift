import XCTest
@testable import EarshotKit

/// A QC gate's error on the command line names the option (`--fail-on`) where the library
/// names its setting, and is a usage error (exit 2).
final class QCGateCommandLineTests: XCTestCase {
    func testTheCommandLineNamesTheOption() throws {
        let process = Process()
        process.executableURL = try CheckCommandTests.earshotBinary()
        process.arguments = ["batch", NSTemporaryDirectory(), "--out", NSTemporaryDirectory() + "earshot-unused-" + UUID().uuidString, "--fail-on", "loudness>3"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2, text)
        XCTAssertTrue(text.hasPrefix("earshot: error: --fail-on 'loudness>3': unknown metric 'loudness'"), text)
    }
}
