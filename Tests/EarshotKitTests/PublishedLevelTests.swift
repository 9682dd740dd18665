import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The stock profiles' levels and the listener model against the published figures they rest
/// on. The figures are typed here from the publications (README, "Where the levels come from"),
/// not read from the script that derives the profiles, and each conversion is redone here: a
/// profile that drifts from its source fails, whatever the script computed.
final class PublishedLevelTests: XCTestCase {
    let catalog = try! ProfileCatalog.standard(environment: [:])

    func level(_ id: String) throws -> DeviceProfile.Level { try catalog.device(id).level }

    /// GSMArena's 2011 pink-noise readings at 1 m (seven handsets), to 35 cm as a point source,
    /// and from pink noise normalised to full-scale peak (RMS −14 dBFS) to a full-scale sine
    /// (RMS −3 dBFS). Viewing distance: Bababekova et al. 2011 (32.2 and 36.2 cm).
    func testThePhoneSpeakersLevelIsGSMArenasPinkNoiseReadingAtViewingDistance() throws {
        let readings = [65.9, 60.0, 66.6, 66.3, 66.6, 66.2, 73.6].sorted()
        let median = readings[readings.count / 2]
        let phone = try level("phone-budget-speaker")
        let distance = try XCTUnwrap(phone.listeningDistanceMeters)
        XCTAssertTrue((0.32...0.37).contains(distance), "held at a phone's viewing distance")
        let atDistance = median + 20 * log10(1 / distance)
        XCTAssertEqual(try XCTUnwrap(phone.maxSPLDB), atDistance, accuracy: 0.5)
        XCTAssertEqual(phone.sensitivityDBSPL, atDistance + (-3.01 + 14), accuracy: 0.5)
        // The stereo phone: the same driver twice, +3 dB.
        let stereo = try level("phone-midrange-stereo")
        XCTAssertEqual(stereo.sensitivityDBSPL - phone.sensitivityDBSPL, 3.0, accuracy: 0.2)
    }

    /// Keith, Michaud & Chiu 2008: players with earphones reach 101–107 dB(A) by EN 50332
    /// (programme noise at −10 dBFS RMS; a full-scale sine is 7 dB above it).
    func testEarbudsReachWhatPlayersWithEarphonesWereMeasuredToReach() throws {
        for id in ["earbuds-wired-inbox", "earbuds-budget-wireless"] {
            let earbuds = try level(id)
            let maximum = try XCTUnwrap(earbuds.maxSPLDB)
            XCTAssertTrue((101...107).contains(maximum), "\(id): \(maximum) dB(A)")
            XCTAssertEqual(earbuds.sensitivityDBSPL - maximum, 7, accuracy: 0.5, id)
        }
    }

    /// RTINGS: more than 92 dB SPL at 2.29 m is a good soundbar maximum; a budget bar is not
    /// modelled above it.
    func testTheSoundbarStaysAtOrBelowAGoodBarsMaximumAtTheCouch() throws {
        let bar = try level("tv-soundbar")
        XCTAssertLessThanOrEqual(try XCTUnwrap(bar.maxSPLDB), 92.0)
        XCTAssertEqual(try XCTUnwrap(bar.listeningDistanceMeters), 2.29, accuracy: 0.05)
    }

    /// Places within one standard deviation of their published means: Toronto subway cars
    /// 76.8 ± 2.6 and buses 76.3 ± 2.3 dB(A) (Yao et al. 2017), Hong Kong restaurants 73.9 ± 3.8
    /// (To & Chung 2014), a Kolkata kerbside 77.6 ± 2.1 (Kundu Chowdhury et al. 2015); quiet
    /// living rooms 30–40 dB(A); a bedroom at night at most the WHO's 30 dB(A).
    func testPlacesSitWhereTheyWereMeasured() throws {
        let published: [(String, ClosedRange<Double>)] = [
            ("commute-metro", (76.8 - 2.6)...(76.8 + 2.6)), ("commute-bus", (76.3 - 2.3)...(76.3 + 2.3)),
            ("cafe-babble", (73.9 - 3.8)...(73.9 + 3.8)), ("street", (77.6 - 2.1)...(77.6 + 2.1)),
            ("quiet-room", 30...40), ("living-room", 30...40), ("bedroom-night", 20...30),
        ]
        for (id, range) in published {
            let env = try catalog.environment(id)
            XCTAssertTrue(range.contains(env.levelDBA), "\(id): \(env.levelDBA) dB(A), published \(range)")
        }
        XCTAssertNotNil(try catalog.environment("bedroom-night").listenerCeilingDBA, "at night the listener keeps it down")
    }

    /// The listener's choice rises about 0.3 dB per dB of noise (van Heusden et al. 1979: 0.3;
    /// Fligor & Ives: 0.33; telephony studies up to 0.45), is about 50 dB(A) for speech from a
    /// loudspeaker in quiet, and never above 85 dB(A).
    func testTheListenersChoiceFollowsPublishedPreferredLevels() throws {
        func room(_ levelDBA: Double) throws -> EnvironmentProfile {
            var e = try catalog.environment("commute-bus")
            e.levelDBA = levelDBA
            return e
        }
        for id in ["phone-budget-speaker", "studio-reference", "earbuds-wired-inbox"] {
            let device = try catalog.device(id)
            let at50 = ListenerVolume.targetDialogueDBA(device: device, environment: try room(50))
            let at80 = ListenerVolume.targetDialogueDBA(device: device, environment: try room(80))
            let slope = (at80 - at50) / 30
            XCTAssertTrue((0.25...0.45).contains(slope), "\(id): \(slope) dB per dB")
            XCTAssertLessThanOrEqual(ListenerVolume.targetDialogueDBA(device: device, environment: try room(120)), 85)
        }
        let quiet = ListenerVolume.targetDialogueDBA(device: try catalog.device("studio-reference"), environment: try catalog.environment("quiet-room"))
        XCTAssertEqual(quiet, 50, accuracy: 1, "speech from a loudspeaker in quiet")
        // Isolation lowers the choice (Breinbauer et al. 2012): sealed earbuds below open ones in the same noise.
        let bus = try catalog.environment("commute-bus")
        XCTAssertLessThan(ListenerVolume.targetDialogueDBA(device: try catalog.device("earbuds-budget-wireless"), environment: bus),
                          ListenerVolume.targetDialogueDBA(device: try catalog.device("earbuds-wired-inbox"), environment: bus))
    }

    /// The device's colouration of speech. A flat response gives speech about 2–3 dB less
    /// A-weighted level than its K-weighted loudness suggests (A-weighting takes 5–19 dB off
    /// speech's 160–400 Hz bands, K-weighting almost nothing: ANSI S3.5's 62.35 dB SPL
    /// normal-effort speech is about 59.6 dB(A)); a laptop tuned around a 1 kHz peak gives
    /// speech less than the flat monitor; the BS.1770 K-weighting reads +0.69 dB at 1 kHz.
    func testSpeechLevelAtTheEarFollowsTheDevicesResponse() throws {
        let flat = SpeechLevelAtEar.offsetDB(responseDB: [Double](repeating: 0, count: SIIBandTable.oneThirdOctave.centerFrequenciesHz.count))
        XCTAssertTrue((-4.0 ... -1.0).contains(flat), "a flat response: \(flat) dB")
        let laptop = try DeviceModel(profile: try catalog.device("laptop-speakers"))
        let studio = try DeviceModel(profile: try catalog.device("studio-reference"))
        XCTAssertLessThan(laptop.speechOffsetDB, studio.speechOffsetDB)
        XCTAssertEqual(10 * log10(KWeighting.powerGain(frequencyHz: 997)), 0.69, accuracy: 0.05, "BS.1770 K-weighting at 1 kHz")
    }
}
