import ArgumentParser
import EarshotKit
import Foundation

/// `earshot check`: the main job.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a mix on every device in its typical environment: masked words, intelligibility, LF risk, sibilance, loudness.",
        discussion: """
        Without --device/--environment, the six default scenarios: \
        \(CheckSettings.defaultScenarios.map { "\($0.device)@\($0.environment)" }.joined(separator: ", ")). \
        With --device and --environment, every named device in every named environment; \
        --scenario DEVICE@ENVIRONMENT names pairs directly (repeatable).
        Give the dialogue stem (--dialogue) for per-word masking, STOI and SII; with only a mix, \
        those are reported as not computed and everything else still runs. Word timings \
        (--words: Praat TextGrid, WhisperX JSON, SRT or WebVTT) name the words; without them the \
        dialogue is segmented into speech units. A word is masked when the predicted chance that a \
        normal-hearing listener hears it is below --masked-below (default 0.5), at risk below 0.8; \
        judged again without the music and effects (same device, volume and place), it is masked \
        by the mix (the mix's cost) or lost to the situation (masked even without the mix: the \
        device or the place is the limit).
        Writes report.json (schema: Reports/report.schema.json) and report.html (one \
        self-contained page: matrix, timelines, spectra, masked words to listen to) to --out, by \
        default earshot-reports/<episode>/ in the current folder (the episode: the mix's file name \
        without a trailing _mix, _dx, _me, …, or its folder's name for mix.wav; demo-scene for \
        --demo), and prints a summary. A folder holding the report of other input files is \
        refused unless --force is given. \(ExitStatus.help(gates: true))
        """)

    @OptionGroup var programme: ProgrammeOptions
    @OptionGroup var profiles: ProfileOptions
    @Option(help: "Word timings: TextGrid, WhisperX JSON, SRT or WebVTT.") var words: String?
    @OptionGroup var selection: ScenarioSelectionOptions
    @Option(help: "Output folder for report.json and report.html (default: earshot-reports/<episode>/).") var out: String?
    @Flag(help: "Replace a report in --out made from other input files.") var force = false
    @Flag(help: "Print report.json to stdout instead of the summary.") var json = false
    @OptionGroup var gateOptions: QCGateOptions

    func run() throws {
        try runReportingErrors {
            var settings = try selection.settings()
            let inputs = try programme.inputs()
            let gates = try gateOptions.gates()
            try QCGate.validate(gates, against: settings)
            settings.wordsPath = try words ?? (programme.demo ? demoWords() : nil)
            let outFolder = out ?? defaultOutFolder(inputs)
            if !force { try ReportFolderGuard.check(folder: outFolder, for: inputs) }
            // The folder is made before the run, so that one that cannot be made fails at once;
            // a run that then fails takes away the folder it made, leaving nothing behind.
            let existed = FileManager.default.fileExists(atPath: outFolder)
            do {
                try FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
            } catch {
                throw EarshotError(.environment, file: outFolder, "cannot create the output folder (\(Self.reason(error)))")
            }
            let report: CheckReport
            do {
                report = try CheckRunner.run(inputs: inputs, settings: settings, catalog: try profiles.catalog())
            } catch {
                if !existed, (try? FileManager.default.contentsOfDirectory(atPath: outFolder))?.isEmpty == true {
                    try? FileManager.default.removeItem(atPath: outFolder)
                }
                throw error
            }
            let outcomes = try gates.flatMap { try $0.evaluate(report) }
            let text = try ReportFiles.write(report, to: outFolder)
            if !gates.isEmpty { try AtomicFile.write(JUnitReport.xml(outcomes), to: gateOptions.junit ?? outFolder + "/junit.xml") }
            if json {
                FileHandle.standardOutput.write(Data(text.utf8))
            } else {
                print(report.summary(), terminator: "")
                print("\nReport: \(outFolder)/report.html and report.json (words.csv, flagged-words.audacity.txt / .reaper.csv / .srt beside it)")
            }
            let failed = outcomes.filter(\.failed)
            if !gates.isEmpty {
                let line = failed.isEmpty ? "QC gates: all \(outcomes.count) passed\n"
                    : "QC gates: \(failed.count) of \(outcomes.count) failed\n" + failed.map { "  \($0.message)" }.joined(separator: "\n") + "\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
            if !failed.isEmpty { throw ExitCode(ExitStatus.gateFailed) }
        }
    }

    /// The system's words for a file-system error ("Not a directory", "Permission denied").
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        }
        return ns.localizedDescription
    }

    func demoWords() throws -> String { try EarshotResources.folder(named: "Examples") + "/demo-scene/words.json" }

    /// earshot-reports/<episode>/ in the current folder.
    func defaultOutFolder(_ inputs: ScenarioInputs) -> String {
        "earshot-reports/" + (programme.demo ? "demo-scene" : EpisodeName.of(inputs))
    }
}
