/// A playback device model: what a listener's phone, earbuds, laptop or soundbar does to a mix.
/// Loaded from a profile folder's `profile.json` (see DeviceProfiles/README.md and
/// DeviceProfiles/profile.schema.json). Paths are relative to `folder` and never leave it.
public struct DeviceProfile: Sendable, Equatable {
    public enum Category: String, Codable, Sendable, CaseIterable {
        case phone, earbuds, laptop, soundbar, tv, reference
    }

    public enum ChannelMode: String, Codable, Sendable {
        /// One speaker (or a summed pair): plays (L+R)/2, so out-of-phase content cancels.
        case mono
        /// Left and right reach their own ear/speaker.
        case stereo
    }

    /// The device's linear response, as data files in the profile folder.
    public struct Response: Codable, Sendable, Equatable {
        public var impulseResponse: String?
        public var frequencyResponse: String?
        public var adjustment: String?
    }

    /// How the digital signal becomes sound pressure at the listener's ear.
    public struct Level: Codable, Sendable, Equatable {
        /// dB SPL at the ear for a full-scale (peak 1.0) 1 kHz sine at 100 % volume.
        public var sensitivityDBSPL: Double
        /// Loudspeaker devices: distance from the speaker to the ear the sensitivity refers to.
        public var listeningDistanceMeters: Double?
        /// The most the device can produce at the ear.
        public var maxSPLDB: Double?
    }

    /// Driver excursion model for low-frequency distortion risk: a closed box, whose cone
    /// displacement follows the drive signal low-passed (2nd order) at the box resonance.
    public struct Excursion: Codable, Sendable, Equatable {
        public var resonanceHz: Double
        public var q: Double
        /// Drive level (dBFS peak of a sine well below resonance, after the volume gain) at which
        /// the cone reaches its excursion limit.
        public var limitDBFS: Double
        /// Where the output is about 10 dB below the passband: energy below it is wasted.
        public var usableLowCutHz: Double
    }

    /// A lookahead peak limiter on the drive signal (device protection). Without `ratio` it is
    /// a brick wall; with it, peaks over the threshold are reduced to 1/ratio of their excess.
    /// The knee is hard (a manifest's `kneeDB` is documentation only).
    public struct Limiter: Codable, Sendable, Equatable {
        public var thresholdDBFS: Double
        public var attackMs: Double
        public var releaseMs: Double
        public var lookaheadMs: Double
        public var ratio: Double? = nil
    }

    /// The low band of a multiband protection compressor: below `splitHz` the drive is
    /// compressed by `ratio` above `thresholdDBFS`.
    public struct BassCompressor: Codable, Sendable, Equatable {
        public var splitHz: Double
        public var thresholdDBFS: Double
        public var ratio: Double
        public var attackMs: Double
        public var releaseMs: Double
    }

    /// A documented figure the device's response must meet (checked by the test suite).
    public struct ResponseCheck: Codable, Sendable, Equatable {
        public var frequencyHz: Double
        public var relativeToHz: Double
        public var minDB: Double?
        public var maxDB: Double?
        public var source: String?
    }

    public var id: String
    public var name: String
    public var category: Category
    public var channelMode: ChannelMode
    public var response: Response
    public var level: Level
    /// Volume control: (percent, gain dB) points, interpolated linearly in dB.
    public var volumeCurve: [VolumePoint]
    public var excursion: Excursion
    public var limiter: Limiter?
    public var bassCompressor: BassCompressor?
    /// Outside noise attenuation by the device in the ear (earbuds): (frequencyHz, dB).
    public var passiveIsolation: [BandValue]?
    public var selfNoiseDBA: Double?
    public var responseChecks: [ResponseCheck]?
    public var provenance: Provenance
    /// Absolute path of the profile folder.
    public var folder: String

    /// Gain of the volume control at `percent` (0–100), in dB.
    public func volumeGainDB(percent: Double) -> Double {
        let p = min(max(percent, 0), 100)
        let points = volumeCurve
        guard let first = points.first else { return 0 }
        if p <= first.percent { return first.gainDB }
        for i in 1..<points.count where p <= points[i].percent {
            let a = points[i - 1], b = points[i]
            let t = (p - a.percent) / max(b.percent - a.percent, 1e-9)
            return a.gainDB + t * (b.gainDB - a.gainDB)
        }
        return points.last!.gainDB
    }
}

extension DeviceProfile {
    /// The lowest volume (percent) whose gain reaches `gainDB`; 100 when even full volume does not.
    public func volumePercent(forGainDB gainDB: Double) -> Double {
        let points = volumeCurve
        if gainDB <= points[0].gainDB { return points[0].percent }
        for i in 1..<points.count where gainDB <= points[i].gainDB {
            let a = points[i - 1], b = points[i]
            let t = (gainDB - a.gainDB) / max(b.gainDB - a.gainDB, 1e-9)
            return a.percent + t * (b.percent - a.percent)
        }
        return 100
    }
}

/// One point of a volume curve.
public struct VolumePoint: Sendable, Equatable {
    public var percent: Double
    public var gainDB: Double
}

/// A (frequencyHz, value dB) pair from a manifest.
public struct BandValue: Sendable, Equatable {
    public var frequencyHz: Double
    public var levelDB: Double
}
