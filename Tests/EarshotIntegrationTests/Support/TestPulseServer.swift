import Foundation
import XCTest
@testable import EarshotKit

/// A private PulseAudio server for one test: `pulseaudio -n --daemonize=no` as a child process,
/// with its runtime, state and home folders in a fresh temporary folder, one null sink
/// (`earshot_test`, float32 stereo 48 kHz) whose monitor can be recorded, and a unix socket
/// in that folder. The test kills it at the end, pass or fail (`addTeardownBlock`).
final class TestPulseServer {
    static let sinkName = "earshot_test"
    let folder: String
    private(set) var process: SpawnedProcess!
    var socket: String { folder + "/native" }
    var address: String { "unix:" + socket }
    var monitor: String { Self.sinkName + ".monitor" }
    /// Keeps the null sink rendering in small blocks (see `init`).
    private var keepAlive: (PulseConnection, PulseRecorder)?

    /// `extraModules`: more modules to load, as `-L` arguments (e.g. a second null sink).
    /// Without a test, the caller kills the server (a server shared by a test class).
    /// `realtime`: the server's I/O threads ask for real-time scheduling (as a desktop's
    /// PulseAudio or PipeWire does through rtkit), and its main thread, which carries every
    /// client's audio between the sockets and the sinks, runs SCHED_RR too (PipeWire's data
    /// loop is real-time): for tests of dropouts while other processes keep every core busy.
    init(for test: XCTestCase?, extraModules: [String] = [], realtime: Bool = false) throws {
        folder = NSTemporaryDirectory() + "earshot-pulse-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder + "/home", withIntermediateDirectories: true)
        let executable = ["/usr/bin/pulseaudio", "/usr/local/bin/pulseaudio"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else {
            throw EarshotError(.environment, "pulseaudio is not installed (apt-get install pulseaudio; .ci/run does this)")
        }
        let arguments = [
            "-n", "--daemonize=no", "--system=false", "--exit-idle-time=-1", "--use-pid-file=no",
            "--log-target=file:\(folder)/server.log", "--log-level=notice",
            "-L", "module-null-sink sink_name=\(Self.sinkName) rate=48000 format=float32le channels=2",
            "-L", "module-native-protocol-unix auth-anonymous=1 socket=\(folder)/native",
        ] + extraModules.flatMap { ["-L", $0] } + (realtime ? ["--realtime=yes", "--high-priority=yes"] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = folder
        environment["PULSE_RUNTIME_PATH"] = folder
        environment["PULSE_STATE_PATH"] = folder + "/state"
        environment["HOME"] = folder + "/home"
        environment["PULSE_SERVER"] = nil
        process = try SpawnedProcess(executable: executable, arguments: arguments, environment: environment)
        test?.addTeardownBlock { [self] in kill() }
        // Ready when a client can connect.
        let deadline = Date(timeIntervalSinceNow: 10)
        while true {
            if FileManager.default.fileExists(atPath: socket), (try? PulseConnection(server: address)) != nil { break }
            if !process.isRunning || Date() > deadline {
                let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
                throw EarshotError(.environment, "the test PulseAudio server did not start: \(log.suffix(800))")
            }
            usleep(50_000)
        }
        if realtime {
            var parameters = sched_param(sched_priority: 5)
            if sched_setscheduler(process.pid, SCHED_RR, &parameters) != 0 {
                throw EarshotError(.environment, "cannot give the test PulseAudio server real-time scheduling: \(String(cString: strerror(errno)))")
            }
        }
        // An idle null sink renders two-second blocks, so a stream arriving then waits up to
        // two seconds to start. A record stream on its monitor asks for 10 ms blocks; once the
        // monitor has delivered (the sink's next block), the sink runs in small blocks for as
        // long as that stream stays open.
        let connection = try PulseConnection(server: address)
        let recorder = try PulseRecorder(connection: connection, source: monitor)
        while recorder.frames == 0 {
            if Date() > deadline.addingTimeInterval(3) { throw EarshotError(.environment, "the test sink's monitor delivered nothing") }
            usleep(20_000)
        }
        keepAlive = (connection, recorder)
    }

    /// Waits until the sink plays something other than silence (read from its monitor).
    func waitForSound(timeout: Double) -> Bool {
        guard let recorder = keepAlive?.1 else { return false }
        let deadline = Date(timeIntervalSinceNow: timeout)
        let start = recorder.frames
        while Date() < deadline {
            let recording = recorder.recording
            if recording.left[min(start, recording.frames)...].contains(where: { abs($0) > 1e-4 }) { return true }
            usleep(20_000)
        }
        return false
    }

    /// Stops the server at once (SIGKILL: as abrupt as a crash) and removes its folder.
    func kill() {
        keepAlive = nil
        process.kill()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Kills the server without removing its folder; returns when it is gone.
    func crash() {
        keepAlive = nil
        process.kill()
    }
}
