import ArgumentParser
import EarshotKit
import Foundation

/// The exit codes of every earshot command, and the one place errors become them: an
/// `EarshotError` is printed as one line on stderr and exits with 1 (bad input, or something
/// outside Earshot failed) or 2 (bad usage); the argument parser's usage errors exit with 2.
enum ExitStatus {
    static let ok: Int32 = 0
    static let failed: Int32 = 1
    static let usage: Int32 = 2
    static let gateFailed: Int32 = 3
    static let interrupted: Int32 = 130

    /// The exit code for an error that ends a command.
    static func code(for error: EarshotError) -> Int32 { error.kind == .usage ? usage : failed }

    /// The command line's option for each setting the library names in its errors.
    static let optionNames = [
        QCGate.settingName: "--fail-on",
        MeasurementPlan.Setting.level: "--level",
        MeasurementPlan.Setting.sweepCount: "--sweeps",
        MeasurementPlan.Setting.gap: "--gap-seconds",
        MeasurementPlan.Setting.tone: "--tone-seconds",
        MeasurementPlan.Setting.steps: "--steps",
    ]

    /// Prints the error as one line on stderr (the setting named by its option) and gives the
    /// exit to throw.
    static func report(_ error: EarshotError) -> ExitCode {
        var error = error
        if let setting = error.setting, let option = optionNames[setting] { error.setting = option }
        FileHandle.standardError.write(Data("earshot: error: \(error)\n".utf8))
        return ExitCode(code(for: error))
    }

    /// The "Exit codes" sentence of a command's --help.
    static func help(gates: Bool, interruptible: Bool = false) -> String {
        "Exit codes: 0 ok, 1 bad input\(gates ? " or failed check" : ""), 2 bad usage"
            + (gates ? ", 3 a QC gate failed (--fail-on)" : "")
            + (interruptible ? ", 130 interrupted (Ctrl-C)" : "") + "."
    }
}

/// Runs a command body, turning Earshot errors into a one-line message and the documented exit code.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as EarshotError {
        throw ExitStatus.report(error)
    }
}
