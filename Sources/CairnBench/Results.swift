import CairnStore
import Foundation

/// The figures of one benchmark run.
struct Results {
    var applyCairn = 0.0, applyReference = 0.0
    var rebuildCairn = 0.0, rebuildScan = 0.0
    /// Events/s of the raw-SQL replay: the scan plus the projections' writes as prepared statements.
    var rebuildRawWrites = 0.0
    var dryRunSeconds = 0.0, dryRunApplySeconds = 0.0
    /// Peak RSS in MiB of a dry-run of the dry-run rows, and of ten times as many.
    var dryRunRSS = 0.0, dryRunRSSTenfold = 0.0
    /// Python `eventsourcing`'s apply in its best mode (`--peer`): aggregates/s, and its version.
    var peer: (perSecond: Double, version: String)?
    var statusLarge = 0.0, statusSmall = 0.0
    var firstFrame = 0.0, keyToFrame = 0.0
    /// When the whole long log was in the console, and its lines (table only).
    var logLoaded = 0.0, logLines = 0
    var rssLarge = 0.0, rssSmall = 0.0
    /// Percent of one core the console used, idle with a big diff open, and that diff's rows.
    var idleCPU = 0.0, idleRows = 0
    /// Apply on PostgreSQL (`--postgres`): Cairn's rows/s, the same statements' rows/s, and the rows.
    var postgres: (cairn: Double, reference: Double, rows: Int)?

    /// The object `--json` prints: exactly these keys, numbers only.
    var json: JSONValue {
        var apply: [String: JSONValue] = [
            "cairn_per_s": .double(applyCairn.rounded()), "reference_per_s": .double(applyReference.rounded()),
            "ratio": .double(round3(applyCairn / applyReference)),
        ]
        if let peer {
            apply["peer_per_s"] = .double(peer.perSecond.rounded())
            apply["peer_ratio"] = .double(round3(applyCairn / peer.perSecond))
            apply["peer"] = .string("eventsourcing \(peer.version), 256 aggregates per save")
        }
        var object: [String: JSONValue] = [
            "apply": .object(apply),
            "rebuild": .object(["cairn_per_s": .double(rebuildCairn.rounded()), "scan_per_s": .double(rebuildScan.rounded()),
                                "ratio": .double(round3(rebuildCairn / rebuildScan)),
                                "replay_per_s": .double(rebuildRawWrites.rounded()),
                                "replay_ratio": .double(round3(rebuildCairn / rebuildRawWrites))]),
            "dryrun": .object(["seconds": .double(round3(dryRunSeconds)), "apply_seconds": .double(round3(dryRunApplySeconds)),
                               "ratio": .double(round3(dryRunSeconds / dryRunApplySeconds)),
                               "rss_mb": .double(round3(dryRunRSS)), "rss_tenfold_mb": .double(round3(dryRunRSSTenfold)),
                               "memory_ratio": .double(round3(dryRunRSSTenfold / dryRunRSS))]),
            "status": .object(["ms_large": .double(round3(statusLarge)), "ms_small": .double(round3(statusSmall)),
                               "ratio": .double(round3(statusLarge / statusSmall))]),
            "console": .object(["first_frame_ms": .double(round3(firstFrame)), "key_to_frame_ms": .double(round3(keyToFrame)),
                                "idle_cpu_percent": .double(round3(idleCPU))]),
            "memory": .object(["rss_large_mb": .double(round3(rssLarge)), "rss_small_mb": .double(round3(rssSmall)),
                               "ratio": .double(round3(rssLarge / rssSmall))]),
        ]
        if let postgres {
            object["postgres"] = .object(["apply": .object([
                "cairn_per_s": .double(postgres.cairn.rounded()), "reference_per_s": .double(postgres.reference.rounded()),
                "ratio": .double(round3(postgres.cairn / postgres.reference)),
            ])])
        }
        return .object(object)
    }

    private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// The human table, with each target and whether it is met.
    func table(sizes: Sizes) -> String {
        func row(_ name: String, _ figure: String, _ target: String, _ met: Bool) -> String {
            name.padding(toLength: 10, withPad: " ", startingAt: 0) + figure.padding(toLength: 62, withPad: " ", startingAt: 0)
                + target.padding(toLength: 22, withPad: " ", startingAt: 0) + (met ? "met" : "NOT met")
        }
        let applyRatio = applyCairn / applyReference, rebuildRatio = rebuildCairn / rebuildScan
        let dryRatio = dryRunSeconds / dryRunApplySeconds, statusRatio = statusLarge / statusSmall
        let memoryRatio = rssLarge / rssSmall
        #if DEBUG
        let build = "DEBUG BUILD: these figures say nothing; measure with swift run -c release cairn-bench\n"
        #else
        let build = ""
        #endif
        let replayRatio = rebuildCairn / rebuildRawWrites, dryMemory = dryRunRSSTenfold / dryRunRSS
        var lines = [
            "workload  figure" + String(repeating: " ", count: 56) + "target                result",
            row("apply", "\(Int(applyCairn))/s vs reference \(Int(applyReference))/s = \(String(format: "%.2f", applyRatio))×",
                "≥ 0.7×", applyRatio >= 0.7),
        ]
        if let peer {
            let peerRatio = applyCairn / peer.perSecond
            lines.append(row("", "vs Python eventsourcing \(peer.version): \(Int(peer.perSecond))/s = \(String(format: "%.1f", peerRatio))×",
                             "≥ 6×", peerRatio >= 6))
        }
        lines += [
            row("rebuild", "\(Int(rebuildCairn)) events/s vs raw replay \(Int(rebuildRawWrites))/s = \(String(format: "%.2f", replayRatio))×",
                "≥ 0.8×", replayRatio >= 0.8),
            "          (context: a json_extract scan alone, no writes: \(Int(rebuildScan)) events/s;"
                + " Cairn = \(String(format: "%.2f", rebuildRatio))× of it)",
            row("dry-run", "\(sizes.dryRunRows) rows in \(String(format: "%.2f", dryRunSeconds)) s vs apply \(String(format: "%.2f", dryRunApplySeconds)) s = \(String(format: "%.2f", dryRatio))×",
                "≤ 1.5×", dryRatio <= 1.5),
            row("", "peak \(String(format: "%.1f", dryRunRSSTenfold)) MiB at \(sizes.dryRunRows * 10) rows vs \(String(format: "%.1f", dryRunRSS)) MiB = \(String(format: "%.2f", dryMemory))×",
                "≤ 1.5×", dryMemory <= 1.5),
            row("status", "\(String(format: "%.1f", statusLarge)) ms at \(sizes.largeEvents) events vs \(String(format: "%.1f", statusSmall)) ms at \(sizes.smallEvents) = \(String(format: "%.2f", statusRatio))×",
                "≤ 50 ms, flat", statusLarge <= 50 && statusRatio <= 1.2),
            row("console", "first frame \(String(format: "%.1f", firstFrame)) ms, key to frame (p99) \(String(format: "%.2f", keyToFrame)) ms",
                "≤ 100 ms, ≤ 16 ms", firstFrame <= 100 && keyToFrame <= 16),
            "          (context: the log of \(logLines) lines was loaded and shown \(String(format: "%.0f", logLoaded)) ms after start)",
            row("idle", "console, \(idleRows)-row diff open, no key: \(String(format: "%.2f", idleCPU))% of a core",
                "≤ 2%", idleCPU <= 2),
            row("memory", "peak \(String(format: "%.1f", rssLarge)) MiB at \(sizes.largeEvents) events vs \(String(format: "%.1f", rssSmall)) MiB = \(String(format: "%.2f", memoryRatio))×",
                "≤ 1.2×", memoryRatio <= 1.2),
        ]
        if let pg = postgres {
            lines.append(row(
                "postgres", "apply \(Int(pg.cairn))/s vs the same statements \(Int(pg.reference))/s = \(String(format: "%.2f", pg.cairn / pg.reference))×",
                "≥ 0.5×", pg.cairn / pg.reference >= 0.5))
            lines.append("          (\(pg.rows) memberships on the server)")
        }
        return build + lines.joined(separator: "\n") + "\n"
    }
}
