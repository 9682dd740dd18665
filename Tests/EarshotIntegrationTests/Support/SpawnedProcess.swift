import Foundation
@testable import EarshotKit

/// A child process started with posix_spawn and reaped with waitpid. (Foundation's Process was
/// seen here to leave a child started while libpulse threads ran as a zombie, its
/// waitUntilExit never returning; waitpid on the pid does not depend on how it watches.)
final class SpawnedProcess {
    let pid: pid_t
    let stderrPath: String
    private(set) var exitStatus: Int32?
    /// The signal that ended the child, if one did (then `exitStatus` is 128 + the signal).
    private(set) var terminatingSignal: Int32?

    /// `stdinPath`: what standard input opens (a pseudo-terminal's slave for keys).
    init(executable: String, arguments: [String], environment: [String: String], stderrPath: String = "/dev/null",
         stdoutPath: String = "/dev/null", stdinPath: String = "/dev/null") throws {
        self.stderrPath = stderrPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Standard input, output and error are replaced, so the test runner's pipes never
        // stay open in a child.
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw EarshotError(.environment, "cannot start \(executable): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Reaps the child if it has ended.
    var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            if (status & 0x7f) != 0 { terminatingSignal = status & 0x7f }
            return false
        }
        return true
    }

    func waitUntilExit(timeout: Double = 60) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while isRunning && Date() < deadline { usleep(2_000) }
        return exitStatus
    }

    func kill() { if isRunning { Foundation.kill(pid, SIGKILL); _ = waitUntilExit(timeout: 5) } }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}
