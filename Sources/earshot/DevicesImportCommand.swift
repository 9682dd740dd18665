import ArgumentParser
import EarshotKit
import Foundation

/// `earshot devices import FILE --name ID --out DIR`.
struct DevicesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a device profile from a Room EQ Wizard impulse response (WAV) or text export, or an AutoEq CSV.",
        discussion: """
        Formats (--format, detected from the file when omitted): rew-ir (an impulse response \
        exported by REW as WAV, any rate), rew-text (REW's "Export measurement as text": '*' \
        comment lines, then 'frequency level phase'), autoeq (a CSV starting 'frequency,raw'; \
        --column picks the column, --target FILE subtracts a target curve, e.g. AutoEq's target \
        for the rig, to keep only the device's colouration). Writes OUT/NAME/ with the response \
        (ir.wav or response.csv), profile.json and PROVENANCE.md; the usable low cut, resonance \
        and Q are fitted to the response, and levels, volume curve, excursion limit and \
        protection DSP are copied from --like (a stock profile of the same category by default), \
        which the provenance says. Check it with `earshot devices validate OUT/NAME`.
        Exit codes: 0 ok, 1 bad input or the measurement failed, 2 bad usage.
        """)

    @Argument(help: "The file to import.") var file: String
    @Option(help: ArgumentHelp("Profile id (lower-case, hyphens): the folder written is OUT/NAME.", valueName: "id")) var name: String
    @Option(help: ArgumentHelp("Folder the profile folder is written into.", valueName: "dir")) var out: String
    @Option(help: ArgumentHelp("rew-ir, rew-text or autoeq (default: detected).", valueName: "format")) var format: String?
    @Option(help: ArgumentHelp("AutoEq column to use.", valueName: "name")) var column: String = "raw"
    @Option(help: ArgumentHelp("A target curve (AutoEq CSV or REW text) to subtract.", valueName: "file")) var target: String?
    @Option(help: "Human name of the device (default: the id).") var displayName: String?
    @Option(help: ArgumentHelp("phone, earbuds, laptop, soundbar, tv or reference.", valueName: "category")) var category: String = "phone"
    @Option(help: ArgumentHelp("mono or stereo (default: mono for phones, else stereo).", valueName: "mode")) var channelMode: String?
    @Option(help: ArgumentHelp("Profile to copy levels, volume curve, excursion limit and protection from (default: the stock one of the category).", valueName: "id")) var like: String?
    @Option(help: ArgumentHelp("Who measured the response.", valueName: "name")) var by: String
    @Option(help: ArgumentHelp("Date of the measurement, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("Where the file comes from, written as the provenance's source (default: its name). (--source is the microphone's PulseAudio source in earshot measure.)", valueName: "text")) var origin: String?
    @Option(name: .customLong("sensitivity-db-spl"), help: ArgumentHelp("Sensitivity, if known (else the --like profile's).", valueName: "dB")) var sensitivityDBSPL: Double?
    @Option(help: ArgumentHelp("Listening distance, cm (loudspeakers).", valueName: "cm")) var distanceCm: Double?
    @Option(help: ArgumentHelp("Licence of the data.", valueName: "text")) var licence: String?
    @OptionGroup var profiles: ProfileOptions
    @Flag(help: "Replace OUT/NAME if it exists.") var force = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            try ProfileWriter.checkID(name)
            let category = try enumValue(DeviceProfile.Category.self, category, option: "--category")
            let mode: DeviceProfile.ChannelMode = try channelMode.map { text in
                guard let m = DeviceProfile.ChannelMode(rawValue: text) else { throw EarshotError.usage("--channel-mode must be mono or stereo, not '\(text)'") }
                return m
            } ?? (category == .phone ? .mono : .stereo)
            if let distanceCm, !(0.1...2000).contains(distanceCm) { throw EarshotError.usage("--distance-cm must be 0.1 to 2000 cm") }
            if let s = sensitivityDBSPL, !(20...140).contains(s) { throw EarshotError.usage("--sensitivity-db-spl must be 20 to 140 dB SPL") }
            let format = try self.format.map { try enumValue(ResponseImportFormat.self, $0, option: "--format") }
            guard FileManager.default.fileExists(atPath: file) else { throw EarshotError.badInput(file: file, "no such file") }
            let imported = try ResponseImport.read(path: file, format: format, column: column, target: target)
            let likeID = like ?? ImportedDeviceProfile.defaultLike(for: category)
            let likeProfile = try profiles.catalog().device(likeID)
            var d = ImportedDeviceDescription(id: name, name: displayName ?? name, category: category, channelMode: mode, measuredBy: by,
                                              date: try date.map(checkDate) ?? ProfileWriter.today(),
                                              source: origin ?? (file as NSString).lastPathComponent, like: likeProfile)
            d.sensitivityDBSPL = sensitivityDBSPL
            d.distanceCm = distanceCm
            if let licence { d.licence = licence }
            let folder = try ImportedDeviceProfile.write(imported, d, originalPath: file, parent: out, overwrite: force)
            guard case .device(let written) = try ProfileLoader.load(folder: folder) else { return }
            let response = try DeviceModel(profile: written).thirdOctaveResponseDB()
            if json {
                print(JSONValue.object([
                    ("value", .string(folder)), ("format", .string(imported.format.rawValue)), ("like", .string(likeID)),
                    ("notes", .array(imported.notes.map { .string($0) })),
                    ("usableLowCutHz", .number(written.excursion.usableLowCutHz)),
                    ("thirdOctaveResponseDB", .array(response.map { .object([("centreHz", .number($0.centreHz)), ("levelDB", .number(($0.levelDB * 10).rounded() / 10))]) })),
                ]).serialized(), terminator: "")
                return
            }
            print("wrote \(folder) (\(imported.format.rawValue); \(imported.notes.joined(separator: "; ")))")
            print("  levels, volume curve, excursion limit and protection copied from '\(likeID)'; usable from \(Int(written.excursion.usableLowCutHz)) Hz")
            print("  third-octave response (dB re 1 kHz):")
            for row in stride(from: 0, to: response.count, by: 8) {
                print("   " + response[row..<min(row + 8, response.count)].map { String(format: "%7@ %6.1f", freqLabel($0.centreHz), $0.levelDB) }.joined(separator: " "))
            }
        }
    }
}
