import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Runs every case of `BadInputCorpus` through the built `earshot` binary, as a user would, and
/// checks the documented outcome:
/// - the exit status is the case's code (0 ok, 1 bad input, 2 bad usage), and the process was
///   not ended by a signal or left hanging (60 s);
/// - on failure: stderr names the file and the place (the case's fragments), a message from
///   Earshot itself is one line starting "earshot: error: ", nothing is printed on stdout, the
///   report.json and report.html already in the output folder keep their bytes, and no other
///   file appears there or in the case's folder (no partial output, no temporary leftovers);
/// - on success: a new report.json that matches the schema, holds only finite numbers, gives
///   the programme's length and names the inputs, and no temporary files are left beside it.
final class BadInputCorpusTests: XCTestCase {
    static let earlierReportJSON = "{\"earlier\": true}\n"
    static let earlierReportHTML = "<!doctype html><title>earlier</title>\n"

    var root: String!

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "earshot-bad-input-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func testEveryCaseHasItsDocumentedOutcome() throws {
        let cases = BadInputCorpus.cases
        XCTAssertGreaterThanOrEqual(cases.count, 40)
        XCTAssertEqual(Set(cases.map(\.name)).count, cases.count, "case names are unique")
        let executable = try CheckCommandTests.earshotBinary().path
        let scene = root + "/scene"
        try BadInputCorpus.writeScene(at: scene)
        let started = Date()
        var lines: [String] = []
        for (index, badCase) in cases.enumerated() {
            let t0 = Date()
            let (status, message) = try run(badCase, number: index, executable: executable, scene: scene)
            lines.append(String(format: "%5.2f s  exit %@  %@", Date().timeIntervalSince(t0), status, badCase.name)
                         + (message.isEmpty ? "" : "\n           " + message))
        }
        print("Bad-input corpus: \(cases.count) cases in \(String(format: "%.1f", Date().timeIntervalSince(started))) s\n"
              + lines.joined(separator: "\n"))
    }

    /// Runs one case; returns its exit status and the first line of stderr (the case folder
    /// shortened to `{case}`) for the summary.
    func run(_ badCase: BadInputCase, number: Int, executable: String, scene: String) throws -> (String, String) {
        let folder = root + String(format: "/case-%02d", number)
        let out = folder + "/out"
        func expand(_ s: String) -> String {
            s.replacingOccurrences(of: "{case}", with: folder).replacingOccurrences(of: "{scene}", with: scene)
                .replacingOccurrences(of: "{out}", with: out)
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Self.earlierReportJSON.write(toFile: out + "/report.json", atomically: false, encoding: .utf8)
        try Self.earlierReportHTML.write(toFile: out + "/report.html", atomically: false, encoding: .utf8)
        for (path, file) in badCase.files {
            let full = folder + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            switch file {
            case .bytes(let bytes): try Data(bytes).write(to: URL(fileURLWithPath: full))
            case .text(let text): try Data(text.utf8).write(to: URL(fileURLWithPath: full))
            case .folder: try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
            case .link(let target): try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: expand(target))
            }
        }
        let before = try listing(folder, skipping: out)
        // stdout and stderr go beside the case folder, not into it.
        let stdoutPath = folder + ".stdout", stderrPath = folder + ".stderr"
        var environment = ProcessInfo.processInfo.environment
        environment["EARSHOT_STOCK_PROFILES"] = scene + "/profiles"
        environment["EARSHOT_PROFILES"] = nil
        let process = try SpawnedProcess(executable: executable, arguments: badCase.arguments.map(expand),
                                         environment: environment, stderrPath: stderrPath, stdoutPath: stdoutPath)
        let name = badCase.name
        guard let status = process.waitUntilExit(timeout: 60) else {
            process.kill()
            XCTFail("\(name): still running after 60 s; killed")
            return ("hung", "")
        }
        let stderr = process.stderr
        let stdout = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        // (Without the "earshot: error: " prefix, so that the summary is not mistaken for failures.)
        let firstLine = String(stderr.prefix { $0 != "\n" }).replacingOccurrences(of: "earshot: error: ", with: "")
            .replacingOccurrences(of: folder, with: "{case}").replacingOccurrences(of: scene, with: "{scene}")
        if let signal = process.terminatingSignal {
            XCTFail("\(name): ended by signal \(signal)\n\(stderr)")
            return ("signal \(signal)", firstLine)
        }
        XCTAssertEqual(status, badCase.exitCode, "\(name): exit status\n\(stderr)")
        if badCase.exitCode == 0 {
            try checkReport(badCase, out: out, expand: expand)
        } else {
            for fragment in badCase.mentions.map(expand) {
                XCTAssertTrue(stderr.contains(fragment), "\(name): stderr should say \"\(fragment)\"; it says:\n\(stderr)")
            }
            if stderr.hasPrefix("earshot: error: ") {
                XCTAssertEqual(stderr.filter { $0 == "\n" }.count, 1, "\(name): one line\n\(stderr)")
            } else if badCase.exitCode == 1 {
                // Only `devices validate` lists its failures in its own format.
                XCTAssertEqual(badCase.arguments.prefix(2), ["devices", "validate"], "\(name): message format\n\(stderr)")
            }
            XCTAssertEqual(stdout, "", "\(name): nothing on stdout")
            XCTAssertEqual(try String(contentsOfFile: out + "/report.json", encoding: .utf8), Self.earlierReportJSON,
                           "\(name): the earlier report.json is untouched")
            XCTAssertEqual(try String(contentsOfFile: out + "/report.html", encoding: .utf8), Self.earlierReportHTML,
                           "\(name): the earlier report.html is untouched")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).sorted(), ["report.html", "report.json"],
                           "\(name): nothing else in the output folder")
            XCTAssertEqual(try listing(folder, skipping: out), before, "\(name): nothing new in the case's folder")
        }
        return ("\(status)", firstLine)
    }

    func checkReport(_ badCase: BadInputCase, out: String, expand: (String) -> String) throws {
        let name = badCase.name
        let left = try FileManager.default.contentsOfDirectory(atPath: out)
        XCTAssertEqual(left.filter { $0.hasPrefix(".") }, [], "\(name): no temporary files left")
        let text = try String(contentsOfFile: out + "/report.json", encoding: .utf8)
        XCTAssertNotEqual(text, Self.earlierReportJSON, "\(name): a new report.json")
        XCTAssertEqual(try TestPackage.schemaValidator().validate(jsonText: text).map(\.description), [], name)
        let report = try JSONDocument.parse(text, file: out + "/report.json")
        var nonFinite: [String] = []
        func walk(_ node: JSONNode, _ path: String) {
            switch node.value {
            case .number(let v) where !v.isFinite: nonFinite.append(path)
            case .object(let members): for m in members { walk(m.node, path + "." + m.key) }
            case .array(let items): for (i, item) in items.enumerated() { walk(item, path + "[\(i)]") }
            default: break
            }
        }
        walk(report, "")
        XCTAssertEqual(nonFinite, [], "\(name): every number in report.json is finite")
        if let seconds = badCase.durationSeconds {
            XCTAssertEqual(report.node(at: ["input", "durationSeconds"])?.number ?? -1, seconds, accuracy: 1e-3, "\(name): programme length")
        }
        XCTAssertEqual(report.node(at: ["scenarios", "0", "id"])?.string, "test-speaker@quiet-test", name)
        for fragment in badCase.mentions.map(expand) {
            XCTAssertTrue(text.contains(fragment), "\(name): report.json should hold \"\(fragment)\"")
        }
    }

    /// Every path under `folder` (links not followed) with its size, except under `skipping`.
    func listing(_ folder: String, skipping: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var entries: [String] = []
        while let relative = walker.nextObject() as? String {
            let full = folder + "/" + relative
            if full == skipping || full.hasPrefix(skipping + "/") { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            entries.append("\(relative) \(attributes[.size] as? Int ?? -1)")
        }
        return entries.sorted()
    }
}
