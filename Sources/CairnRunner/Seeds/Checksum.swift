import Crypto
import Foundation

/// Checksums of seed files, and the versions of how their text is normalised first.
///
/// Every marker stores the normalisation version its checksum was taken with. A future
/// build that normalises differently (say, trailing spaces) adds a version and keeps the
/// old ones: markers written before are compared the way they were written, so the
/// change never turns every applied migration into drift.
public enum Checksum {
    /// The normalisation this build writes: 1 drops a leading byte-order mark and makes line endings `\n`.
    public static let currentVersion = 1

    /// The normalisation versions this build can compare.
    public static let knownVersions: ClosedRange<Int> = 1...currentVersion

    /// The SHA-256, in hex, of a seed's text normalised the current way, so a checkout
    /// that turns `\n` into `\r\n` does not look like drift.
    public static func of(seedText text: String) -> String {
        hex(SeedParser.normalized(text))
    }

    /// The checksum of a seed's text under normalisation `version`, or nil when this build does not know it.
    public static func of(seedText text: String, version: Int) -> String? {
        switch version {
        case 1: return hex(SeedParser.normalized(text))
        default: return nil
        }
    }

    private static func hex(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
