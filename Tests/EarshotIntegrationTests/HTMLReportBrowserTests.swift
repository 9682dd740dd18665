import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// report.html in a real browser (headless Chromium): it renders to a screenshot that is not
/// blank, and the DOM the browser builds holds one row per word and the players of the masked
/// words. Chromium is a test dependency (.ci/run installs the Debian package `chromium`); when it
/// is missing the test fails and says so.
final class HTMLReportBrowserTests: XCTestCase {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"]

    func chromium() -> String? {
        if let path = ProcessInfo.processInfo.environment["EARSHOT_CHROMIUM"] {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        return Self.candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the browser headless on a file; returns its standard output. Fails after 120 s.
    func runChromium(_ binary: String, _ arguments: [String], page: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,2000"]
            + arguments + [URL(fileURLWithPath: page).absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = LockedData()
        let reader = Thread { data.set(out.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            XCTFail("chromium did not finish within 120 s")
        }
        process.waitUntilExit()
        while !data.isSet { Thread.sleep(forTimeInterval: 0.01) }
        return String(decoding: data.value, as: UTF8.self)
    }

    /// Width and height from a PNG's IHDR chunk.
    func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[12..<16] == Array("IHDR".utf8)[...] else { return nil }
        func u32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (u32(16), u32(20))
    }

    func testTheReportRendersInChromium() throws {
        guard let browser = chromium() else {
            XCTFail("chromium is not installed: this test needs a headless browser. Install it with `apt-get install -y chromium` (.ci/run does), or point EARSHOT_CHROMIUM at one.")
            return
        }
        let (_, report) = try HTMLReportScene.shared.get()
        let folder = NSTemporaryDirectory() + "earshot-browser-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/report.html"
        try AtomicFile.write(report.html(), to: page)
        // A blank page of the same size, for what "nothing rendered" looks like.
        let blank = folder + "/blank.html"
        try AtomicFile.write("<!DOCTYPE html><html><body></body></html>\n", to: blank)

        _ = try runChromium(browser, ["--screenshot=\(folder)/report.png"], page: page)
        _ = try runChromium(browser, ["--screenshot=\(folder)/blank.png"], page: blank)
        let shot = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.png"))
        // To look at it: EARSHOT_SCREENSHOT_DIR=/some/folder keeps the page and its screenshot.
        if let keep = ProcessInfo.processInfo.environment["EARSHOT_SCREENSHOT_DIR"] {
            try? FileManager.default.removeItem(atPath: keep + "/html-report-test.png")
            try? FileManager.default.removeItem(atPath: keep + "/html-report-test.html")
            try FileManager.default.copyItem(atPath: folder + "/report.png", toPath: keep + "/html-report-test.png")
            try FileManager.default.copyItem(atPath: page, toPath: keep + "/html-report-test.html")
        }
        let blankShot = try Data(contentsOf: URL(fileURLWithPath: folder + "/blank.png"))
        let size = try XCTUnwrap(pngSize(shot), "the screenshot is not a PNG")
        XCTAssertEqual(size.width, 1400)
        XCTAssertEqual(size.height, 2000)
        // A rendered report (tables, coloured cells, timeline, chart) compresses far worse than a
        // blank page of the same size.
        XCTAssertGreaterThan(shot.count, 60_000, "screenshot \(shot.count) bytes")
        XCTAssertGreaterThan(shot.count, 8 * blankShot.count, "screenshot \(shot.count) bytes, blank page \(blankShot.count)")

        let dom = try runChromium(browser, ["--dump-dom"], page: page)
        XCTAssertTrue(dom.contains("<table class=\"matrix\">"), "no matrix in the DOM (\(dom.count) characters)")
        XCTAssertEqual(HTMLCount.occurrences(of: "class=\"word-row\"", in: dom), HTMLReportScene.words.count)
        let masked = report.scenarios.map(\.maskedWordSnippets.count).reduce(0, +)
        XCTAssertGreaterThan(masked, 0)
        XCTAssertEqual(HTMLCount.occurrences(of: "<audio ", in: dom), 2 * masked)
        XCTAssertEqual(HTMLCount.occurrences(of: "src=\"data:audio/wav;base64,", in: dom), 2 * masked)
        XCTAssertEqual(HTMLCount.occurrences(of: "class=\"snippet-row\"", in: dom), masked)
        XCTAssertEqual(HTMLCount.occurrences(of: "<svg class=\"tl-row\"", in: dom), report.scenarios.count)
    }
}

/// Data handed from the reading thread.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
}
