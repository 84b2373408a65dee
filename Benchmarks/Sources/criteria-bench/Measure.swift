import Dispatch
import Foundation

/// Wall-clock timing: one warm-up run, then `runs` timed runs; the median is reported.
enum Measure {
    /// Seconds since an arbitrary start, from the monotonic clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The median duration in seconds of `runs` runs of `body`, after one untimed warm-up run.
    static func median(runs: Int, warmUp: Bool = true, _ body: () throws -> Void) rethrows -> Double {
        if warmUp { try body() }
        var times: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = now()
            try body()
            times.append(now() - start)
        }
        times.sort()
        let mid = times.count / 2
        return times.count % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2
    }

    /// The peak resident memory of this process so far, in megabytes (Linux `VmHWM`), or 0.
    static func peakMemoryMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}

/// The figures of one run, printed as a table or as one JSON object.
struct Report {
    private(set) var entries: [(key: String, value: Any, unit: String, label: String)] = []

    mutating func add(_ key: String, _ value: Any, unit: String = "", _ label: String) {
        entries.append((key, value, unit, label))
    }

    func json() -> String {
        var parts: [String] = []
        for entry in entries {
            let value: String
            switch entry.value {
            case let d as Double: value = d.isFinite ? String(format: "%.6g", d) : "null"
            case let i as Int: value = String(i)
            case let b as Bool: value = b ? "true" : "false"
            case let s as String: value = "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            default: value = "null"
            }
            parts.append("  \"\(entry.key)\": \(value)")
        }
        return "{\n" + parts.joined(separator: ",\n") + "\n}\n"
    }

    func table() -> String {
        let width = entries.map(\.label.count).max() ?? 10
        var out = ""
        for entry in entries {
            let value: String
            switch entry.value {
            case let d as Double: value = Self.readable(d)
            case let i as Int: value = String(i)
            case let b as Bool: value = b ? "yes" : "NO"
            default: value = "\(entry.value)"
            }
            out += entry.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value
                + (entry.unit.isEmpty ? "" : " " + entry.unit) + "\n"
        }
        return out
    }

    /// A number with thousands separators (for rates) or three significant decimals (for small values).
    static func readable(_ d: Double) -> String {
        if d >= 1000 {
            let digits = String(Int(d.rounded()))
            var result = ""
            for (k, ch) in digits.reversed().enumerated() {
                if k > 0 && k % 3 == 0 { result.append(",") }
                result.append(ch)
            }
            return String(result.reversed())
        }
        return String(format: "%.3g", d)
    }
}
