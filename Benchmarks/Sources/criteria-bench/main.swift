import CriteriaEngine
import Foundation

// criteria-bench: measures the engine on a generated province (Benchmarks/generate.py), beside a
// hand-written evaluation of the same criteria. Docs/performance.md explains every figure.

let usage = """
    usage: criteria-bench --data DIR [--small-data DIR] [--rules DIR] [--as-of YYYY-MM-DD] [--runs N]
                          [--verdicts-out FILE] [--skip SECTION,...] [--json]

      --data DIR          a folder written by Benchmarks/generate.py: the province evaluated, read from
                          its csv/ folder (CSV is the format for large datasets)
      --small-data DIR    a smaller province (province.json, province.yaml, csv/) for the JSON, YAML and
                          JSONDecoder reading figures (default: --data); large JSON and YAML files are
                          over the default file-size limits
      --rules DIR         the rules folder (default: Benchmarks/workload/Rules, the frozen workload)
      --as-of DATE        the evaluation date (default: 2024-12-31, when all five criteria are in force)
      --runs N            timed runs per figure; the median is reported (default: 7)
      --verdicts-out FILE write every verdict as 'entity_id,criterion,outcome' lines (sorted)
      --skip SECTIONS     leave out some of: rules, csv, json, yaml, foundation, eval, explain, full, hand, output
      --json              print one JSON object instead of a table
      --single            measure on one core only (for profiling)
    """

struct Options {
    var data = ""
    var smallData: String?
    var rules = "Benchmarks/workload/Rules"
    var asOf = LocalDate(iso: "2024-12-31")!
    var runs = 7
    var verdictsOut: String?
    var skip: Set<String> = []
    var json = false
    var single = false

    init(_ arguments: [String]) {
        var it = arguments.makeIterator()
        func value(_ flag: String) -> String {
            guard let v = it.next() else { fail("\(flag) needs a value") }
            return v
        }
        while let a = it.next() {
            switch a {
            case "--data": data = value(a)
            case "--small-data": smallData = value(a)
            case "--rules": rules = value(a)
            case "--as-of":
                guard let d = LocalDate(iso: value(a)) else { fail("--as-of expects YYYY-MM-DD") }
                asOf = d
            case "--runs": runs = Int(value(a)) ?? 7
            case "--verdicts-out": verdictsOut = value(a)
            case "--skip": skip = Set(value(a).split(separator: ",").map(String.init))
            case "--json": json = true
            case "--single": single = true
            case "-h", "--help":
                print(usage)
                exit(0)
            default: fail("unknown argument '\(a)'")
            }
        }
        if data.isEmpty { fail("--data is required") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("criteria-bench: \(message)\n\(usage)\n".utf8))
    exit(64)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
}

/// Data rows (not headers) of a CSV table, or 0 when it is absent.
func csvRows(_ path: String) -> Int {
    guard let data = FileManager.default.contents(atPath: path) else { return 0 }
    let lines = data.withUnsafeBytes { raw in raw.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
    return max(0, lines - 1)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
var report = Report()
let cores = ProcessInfo.processInfo.activeProcessorCount
report.add("cores", cores, "cores")
report.add("as_of", options.asOf.description, "evaluation date")

// MARK: Rules

let graph: RuleGraph
do {
    graph = try RuleSetLoader.load(path: options.rules)
} catch {
    fail("the rules in \(options.rules) do not load: \(error)")
}
if !options.skip.contains("rules") {
    log("rules")
    let t = Measure.median(runs: max(options.runs, 15)) { _ = try? RuleSetLoader.load(path: options.rules) }
    report.add("rule_load_ms", t * 1000, unit: "ms", "load and check Rules/ (in process)")
}

// MARK: Reading

func recordCount(in folder: String) -> Int {
    ["province", "districts", "communes", "hamlets"].reduce(0) { $0 + csvRows(folder + "/csv/\($1).csv") }
}

let csvFolder = options.data + "/csv"
let small = options.smallData ?? options.data
let jsonPath = small + "/province.json"
let communeRows = csvRows(csvFolder + "/communes.csv")
let records = recordCount(in: options.data)
log("reading \(csvFolder)")
let dataset: Dataset
do {
    dataset = try DatasetReader.read(path: csvFolder, inputs: graph.inputs)
} catch {
    fail("\(csvFolder) does not read: \(error)")
}
if options.skip.contains("all") {
    // Only the memory of the dataset read from CSV (for Docs/performance.md).
    print("peak memory after reading \(csvFolder): \(Measure.peakMemoryMB()) MB")
    exit(0)
}
let communes = dataset.entities.indices.filter { dataset.entities[$0].level == .commune }.count
report.add("communes", communes, "communes")
report.add("districts", dataset.entities.indices.filter { dataset.entities[$0].level == .district }.count, "districts")
report.add("hamlets", dataset.entities.indices.filter { dataset.entities[$0].level == .hamlet }.count, "hamlets")
report.add("records", records, "entity-year records (CSV data rows)")
let readRuns = max(3, options.runs / 2)

if !options.skip.contains("csv") {
    log("csv")
    let t = Measure.median(runs: readRuns) { _ = try? DatasetReader.read(path: csvFolder, inputs: graph.inputs) }
    report.add("csv_read_s", t, unit: "s", "read the CSV folder")
    report.add("csv_records_per_s", Double(records) / t, unit: "rows/s", "CSV: all rows of all tables")
    report.add("csv_commune_rows_per_s", Double(communeRows) / t, unit: "rows/s", "CSV: commune rows (whole folder read)")
    // The same folder without its hamlets: the province, district and commune tables only.
    let withoutHamlets = NSTemporaryDirectory() + "criteria-bench-no-hamlets-\(getpid())"
    try? FileManager.default.createDirectory(atPath: withoutHamlets, withIntermediateDirectories: true)
    for table in ["dataset", "province", "districts", "communes"] where FileManager.default.fileExists(atPath: csvFolder + "/\(table).csv") {
        try? FileManager.default.createSymbolicLink(atPath: withoutHamlets + "/\(table).csv", withDestinationPath: csvFolder + "/\(table).csv")
    }
    let upper = ["dataset", "province", "districts", "communes"].reduce(0) { $0 + csvRows(csvFolder + "/\($1).csv") }
    let tc = Measure.median(runs: readRuns) { _ = try? DatasetReader.read(path: withoutHamlets, inputs: graph.inputs) }
    try? FileManager.default.removeItem(atPath: withoutHamlets)
    report.add("csv_communes_only_s", tc, unit: "s", "read the CSV folder without hamlets.csv")
    report.add("csv_communes_only_rows_per_s", Double(upper) / tc, unit: "rows/s", "CSV without hamlets: rows of the province, district and commune tables")
}
let smallRecords = recordCount(in: small)
if !options.skip.contains("json") || !options.skip.contains("yaml") {
    report.add("small_records", smallRecords, "records of the province read as JSON and YAML")
}
if !options.skip.contains("json") {
    log("json")
    do {
        _ = try DatasetReader.read(path: jsonPath, inputs: graph.inputs)
    } catch {
        fail("\(jsonPath) does not read: \(error)")
    }
    let t = Measure.median(runs: readRuns) { _ = try? DatasetReader.read(path: jsonPath, inputs: graph.inputs) }
    report.add("json_read_s", t, unit: "s", "read province.json")
    report.add("json_records_per_s", Double(smallRecords) / t, unit: "records/s", "JSON: entity-year records")
    if !options.skip.contains("foundation") {
        log("foundation JSONDecoder")
        let bytes = FileManager.default.contents(atPath: jsonPath) ?? Data()
        let f = Measure.median(runs: readRuns) {
            let bytes = FileManager.default.contents(atPath: jsonPath) ?? Data()
            _ = try? FoundationModel.decode(bytes)
        }
        let decoded = (try? FoundationModel.decode(bytes))?.province?.records ?? 0
        report.add("foundation_json_records_per_s", Double(smallRecords) / f, unit: "records/s", "Foundation JSONDecoder, same file")
        report.add("foundation_json_records", decoded, "records decoded by JSONDecoder (years with facts)")
        report.add("json_vs_foundation", f / t, unit: "×", "JSON reader speed / JSONDecoder speed")
    }
}
if !options.skip.contains("yaml") {
    // A YAML dataset is limited to 16 MiB by default (Limits.maxYAMLDataBytes, about 3,600 communes
    // with their hamlets); the small province is larger, so the limit is raised here.
    log("yaml")
    var limits = Limits.default
    limits.maxYAMLDataBytes = Int.max / 2
    let path = small + "/province.yaml"
    do {
        _ = try DatasetReader.read(path: path, inputs: graph.inputs, limits: limits)
    } catch {
        fail("\(path) does not read: \(error)")
    }
    let t = Measure.median(runs: max(1, readRuns / 2)) {
        _ = try? DatasetReader.read(path: path, inputs: graph.inputs, limits: limits)
    }
    report.add("yaml_read_s", t, unit: "s", "read province.yaml (its size limit raised)")
    report.add("yaml_records_per_s", Double(smallRecords) / t, unit: "records/s", "YAML: entity-year records")
}

// MARK: Evaluation

let evaluator = Evaluator(graph: graph)
let asOf = options.asOf
let hand = HandWritten.province(from: dataset, year: asOf.year)

func perSecond(_ t: Double) -> Double { Double(communes) / t }

/// Times an evaluation on one core and (unless `--single`) on every core, and reports both rates
/// as `key` and `key_all_cores`, and their ratio as `speedup` when given.
@MainActor func rates(_ key: String, _ words: String, speedup: (key: String, words: String)? = nil, _ body: (_ parallel: Bool) -> Void) {
    let one = Measure.median(runs: options.runs) { body(false) }
    let both = options.single ? .nan : Measure.median(runs: options.runs) { body(true) }
    report.add(key, perSecond(one), unit: "communes/s", "\(words), 1 core")
    report.add(key + "_all_cores", perSecond(both), unit: "communes/s", "\(words), \(cores) cores")
    if let speedup { report.add(speedup.key, one / both, unit: "×", "\(speedup.words): \(cores) cores / 1 core") }
}

if !options.skip.contains("eval") {
    log("verdicts")
    rates("verdict_evals_per_s", "verdicts only", speedup: ("parallel_speedup", "verdicts")) {
        _ = EngineRun.outcomes(evaluator, dataset, asOf, parallel: $0)
    }
}
if !options.skip.contains("explain") {
    log("explanations")
    rates("explain_evals_per_s", "with short explanations", speedup: ("parallel_speedup_explain", "explanations")) {
        _ = EngineRun.explained(evaluator, dataset, asOf, parallel: $0)
    }
}
if !options.skip.contains("full") {
    // The whole tree of every verdict: what `explain`, `report`, `diff` and the server's decisions build.
    log("full explanation trees")
    rates("full_explain_evals_per_s", "with full explanation trees") { _ = EngineRun.explainedFully(evaluator, dataset, asOf, parallel: $0) }
}
if !options.skip.contains("hand") {
    log("hand-written")
    let v1 = Measure.median(runs: options.runs) { _ = HandWritten.evaluate(hand, parallel: false) }
    let v2 = options.single ? .nan : Measure.median(runs: options.runs) { _ = HandWritten.evaluate(hand, parallel: true) }
    let e1 = Measure.median(runs: options.runs) { _ = HandWritten.evaluateExplained(hand, parallel: false) }
    let e2 = options.single ? .nan : Measure.median(runs: options.runs) { _ = HandWritten.evaluateExplained(hand, parallel: true) }
    report.add("handwritten_verdict_evals_per_s", perSecond(v1), unit: "communes/s", "hand-written verdicts, 1 core")
    report.add("handwritten_verdict_evals_per_s_all_cores", perSecond(v2), unit: "communes/s", "hand-written verdicts, \(cores) cores")
    report.add("handwritten_explain_evals_per_s", perSecond(e1), unit: "communes/s", "hand-written with explanations, 1 core")
    report.add("handwritten_explain_evals_per_s_all_cores", perSecond(e2), unit: "communes/s", "hand-written with explanations, \(cores) cores")
}

// MARK: Output

if !options.skip.contains("output") {
    // On the small province: the JSON of every verdict with its explanation is about 3 KB a verdict.
    log("JSON output")
    let smallData = (try? DatasetReader.read(path: small + "/csv", inputs: graph.inputs)) ?? dataset
    let result = EngineRun.explained(evaluator, smallData, asOf, parallel: true)
    var size = 0
    let t = Measure.median(runs: max(1, readRuns / 2)) { size = EngineRun.writeJSON(result).count }
    report.add("json_output_s", t, unit: "s", "write the JSON output of every verdict (small province)")
    report.add("json_output_verdicts_per_s", Double(result.verdicts.count) / t, unit: "verdicts/s", "JSON output: verdicts")
    report.add("json_output_mb_per_s", Double(size) / 1e6 / t, unit: "MB/s", "JSON output: bytes")
}

// MARK: Agreement

log("agreement")
let engineVerdicts = EngineRun.verdicts(evaluator, dataset, asOf, parallel: true)
let handResult = HandWritten.evaluate(hand, parallel: true)
var disagreements = 0
var handByEntity: [Int: [(String, Outcome)]] = [:]
for (k, c) in hand.communes.enumerated() {
    handByEntity[c.entity] = [
        ("xa-ntm.19.2", handResult.ntm[k]), ("xa-ntm-nang-cao.19.2", handResult.advanced[k]),
        ("xa-ntm-kieu-mau.antt", handResult.model[k]),
    ]
}
for (k, d) in hand.districts.enumerated() {
    handByEntity[d.entity] = [("huyen-ntm.9.4", handResult.district94[k]), ("huyen-ntm-nang-cao.9.1", handResult.district91[k])]
}
var lines: [String] = []
var compared = 0
for (entity, criterion, outcome) in engineVerdicts {
    lines.append("\(dataset.entities[entity].id),\(criterion),\(outcome.rawValue)")
    guard let expected = handByEntity[entity]?.first(where: { $0.0 == criterion })?.1 else { continue }
    compared += 1
    if expected != outcome {
        disagreements += 1
        if disagreements <= 10 {
            log("DISAGREE \(dataset.entities[entity].id) \(criterion): engine \(outcome.rawValue), hand-written \(expected.rawValue)")
        }
    }
}
let handTotal = handByEntity.values.reduce(0) { $0 + $1.count }
report.add("verdicts", engineVerdicts.count, "verdicts")
report.add("handwritten_agrees", disagreements == 0 && compared == handTotal, "hand-written agrees on every verdict")
if let path = options.verdictsOut {
    lines.sort()
    FileManager.default.createFile(atPath: path, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
}
report.add("peak_memory_mb", Measure.peakMemoryMB(), unit: "MB", "peak memory of the benchmark process")

// Ratios
@MainActor func value(_ key: String) -> Double? { report.entries.first { $0.key == key }?.value as? Double }
if let e = value("verdict_evals_per_s"), let h = value("handwritten_verdict_evals_per_s") {
    report.add("handwritten_vs_verdicts", h / e, unit: "×", "hand-written / engine, verdicts (1 core)")
}
if let e = value("explain_evals_per_s"), let h = value("handwritten_explain_evals_per_s") {
    report.add("handwritten_vs_explain", h / e, unit: "×", "hand-written / engine, explanations (1 core)")
}

print(options.json ? report.json() : report.table(), terminator: "")
exit(disagreements == 0 ? 0 : 1)
