import Foundation
import XCTest

/// One run of the built `earshot` binary (or of a shell command calling it) in a chosen folder,
/// with its exit status and what it printed.
struct EarshotRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `executable` with `arguments` in `folder`; the environment is the test's with
    /// `environment` applied (a nil value removes the variable). Output goes through files in
    /// `scratch`, not pipes, so a full pipe cannot block the child.
    static func run(_ executable: URL, _ arguments: [String], in folder: String, scratch: String,
                    environment: [String: String?] = [:]) throws -> EarshotRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let outPath = scratch + "/stdout.txt", errPath = scratch + "/stderr.txt"
        XCTAssertTrue(FileManager.default.createFile(atPath: outPath, contents: nil), outPath)
        XCTAssertTrue(FileManager.default.createFile(atPath: errPath, contents: nil), errPath)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        return EarshotRun(status: process.terminationStatus, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
                          stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }
}
