import XCTest
@testable import EarshotKit

/// The stock profiles in DeviceProfiles/: all present, all valid, and each device's response
/// meets the figures its provenance documents.
final class StockProfileTests: XCTestCase {
    static let requiredDevices = ["phone-budget-speaker", "earbuds-wired-inbox", "earbuds-budget-wireless",
                                  "laptop-speakers", "tv-soundbar", "studio-reference"]
    static let requiredEnvironments = ["quiet-room", "commute-bus", "commute-metro", "street", "cafe-babble", "family-room-tv"]

    func stockCatalog() throws -> ProfileCatalog {
        try ProfileCatalog(roots: [try ProfileCatalog.stockProfilesFolder(environment: [:])])
    }

    func testEveryRequiredProfileIsPresent() throws {
        let catalog = try stockCatalog()
        for id in Self.requiredDevices { XCTAssertNotNil(catalog.devices[id], "missing device \(id)") }
        for id in Self.requiredEnvironments { XCTAssertNotNil(catalog.environments[id], "missing environment \(id)") }
    }

    func testDeviceResponsesMeetTheirDocumentedFigures() throws {
        let catalog = try stockCatalog()
        for device in catalog.devices.values.sorted(by: { $0.id < $1.id }) {
            let model = try DeviceModel(profile: device)
            let response = model.thirdOctaveResponseDB()
            let line = response.map { String(format: "%g:%.1f", $0.centreHz, $0.levelDB) }.joined(separator: " ")
            print("\(device.id) [\(device.provenance.kind.rawValue)] third-octave dB re 1 kHz: \(line)")
            let checks = device.responseChecks ?? []
            XCTAssertFalse(checks.isEmpty, "\(device.id) documents no response figures to check")
            let r = FrequencyResponse(impulseResponse: model.impulseResponse, sampleRate: 48000)
            func band(_ f: Double) -> Double {
                let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: f)
                return r.bandLevelDB(lowHz: lo, highHz: hi)
            }
            for check in checks {
                let relative = band(check.frequencyHz) - band(check.relativeToHz)
                let label = "\(device.id): \(check.frequencyHz) Hz re \(check.relativeToHz) Hz = \(String(format: "%.1f", relative)) dB (\(check.source ?? ""))"
                if let max = check.maxDB { XCTAssertLessThanOrEqual(relative, max, label) }
                if let min = check.minDB { XCTAssertGreaterThanOrEqual(relative, min, label) }
            }
        }
    }

    func testPhoneSpeakerIsAtLeast20dBDownAt100HzAgainst2kHz() throws {
        let model = try DeviceModel(profile: try stockCatalog().device("phone-budget-speaker"))
        let r = FrequencyResponse(impulseResponse: model.impulseResponse, sampleRate: 48000)
        let (a, b) = ThirdOctave.bandEdgesHz(centreHz: 100), (c, d) = ThirdOctave.bandEdgesHz(centreHz: 2000)
        XCTAssertLessThanOrEqual(r.bandLevelDB(lowHz: a, highHz: b) - r.bandLevelDB(lowHz: c, highHz: d), -20)
    }

    func testStudioReferenceIsFlat() throws {
        let model = try DeviceModel(profile: try stockCatalog().device("studio-reference"))
        for (f, level) in model.thirdOctaveResponseDB() where f >= 31.5 && f <= 16000 {
            XCTAssertEqual(level, 0, accuracy: 0.5, "studio reference at \(f) Hz")
        }
    }

    func testEnvironmentsRenderAtTheirCalibratedLevel() throws {
        let catalog = try stockCatalog()
        for env in catalog.environments.values.sorted(by: { $0.id < $1.id }) {
            let noise = try EnvironmentNoise(profile: env)
            var left: [Float] = []
            for _ in 0..<15 { left += noise.next(48000).left }
            let level = 20 * log10(EnvironmentNoise.aWeightedRMS(left, sampleRate: 48000) / 20e-6)
            print(String(format: "%@: %.1f dB(A) rendered, %.1f dB(A) specified", env.id, level, env.levelDBA))
            // Fluctuating noise over 15 s sits within 2 dB of its long-term level.
            XCTAssertEqual(level, env.levelDBA, accuracy: 2.0, env.id)
        }
    }

    func testEveryProfileStatesProvenanceAndCredit() throws {
        let catalog = try stockCatalog()
        let all: [(String, Provenance)] = catalog.devices.values.map { ($0.id, $0.provenance) } + catalog.environments.values.map { ($0.id, $0.provenance) }
        for (id, p) in all {
            XCTAssertFalse(p.summary.isEmpty, id)
            if p.kind == .measured || p.kind == .derived || (p.licence != nil) {
                XCTAssertNotNil(p.credit ?? p.measuredBy ?? p.derivedFrom, "\(id) uses data without naming whose")
            }
        }
    }
}
