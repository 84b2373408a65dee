import CriteriaEngine
import Crypto
import Foundation
import GRDB

/// A decision record: one evaluation made through the server, as it was answered.
///
/// The evaluation is stored as the JSON text that was sent, and pages are drawn from that text, never
/// from a new evaluation: the record shows what was decided even after the rules change. Since record
/// version 2 the stored verdicts carry *brief* explanations (`Explanation.brief`: the criterion's
/// sentence and the conditions that decided it); one unit's trees are rebuilt on demand from what the
/// record keeps to reproduce it: the rule files (by their hash) and a copy of the input
/// (`Docs/server.md`, "Decision records").
public struct DecisionRecordV1: Codable, Sendable {
    /// The record version: `2` for records with short explanations and a kept input, `1` for older
    /// records, which hold full explanation trees.
    public var version = DecisionStore.recordVersion
    /// The id an inspector cites, `KQ-2026-000123-7KQ2XM` (*kết quả*; records made before say `QD-`,
    /// which read like the number of a QĐ, and still open): the year it was recorded, its number and a
    /// random part, so that an id is never given twice even if the database is lost
    /// (`DecisionStore.isWellFormed`). Older records have no random part.
    public var id: String
    /// When it was recorded, ISO 8601 in UTC.
    public var recordedAt: String
    /// The evaluation date, `YYYY-MM-DD`.
    public var asOf: String
    /// The criteria asked for; empty for all.
    public var criteria: [String]
    /// The SHA-256 of the rule set (`RuleSetHash`).
    public var rulesHash: String
    /// The SHA-256 of the input as received.
    public var inputHash: String
    /// What the input was called (the upload's file name or the sample's path).
    public var inputName: String
    /// The engine's version.
    public var engineVersion: String
    /// The SHA-256 of the stored evaluation JSON.
    public var contentHash: String
    /// `brief` when each verdict carries its criterion's sentence and the conditions that decided it
    /// (`Explanation.brief`; a unit's short or full trees are rebuilt for one unit at a time),
    /// `full` for version-1 records, which stored every tree.
    public var explanations: String = "brief"
    /// Whether the record keeps a copy of the input, from which full trees can be rebuilt.
    public var inputKept: Bool = false
    /// The verdicts with their explanations (see `explanations`).
    public var evaluation: EvaluationOutputV1
}

/// The record of a unit, as `GET /v1/decisions/{id}/entities/{entity}` answers: its verdicts with
/// their short trees (with `full=1` their full trees) rebuilt from the record's rules and input.
public struct DecisionEntityV1: Codable, Sendable {
    /// The record version of the decision (`DecisionRecordV1.version`).
    public var version = DecisionStore.recordVersion
    /// The decision's id.
    public var decision: String
    /// The evaluation date, `YYYY-MM-DD`.
    public var asOf: String
    /// `short` or `full` when the trees were rebuilt now, `brief` when the record's own brief
    /// explanations are shown (they could not be rebuilt), `full` for a version-1 record.
    public var explanations: String
    /// Whether the trees were rebuilt now from the record's rules and input (they gave the recorded
    /// outcomes), rather than read from the record.
    public var rebuilt: Bool
    /// The unit and its verdicts.
    package var entity: EvaluationOutputV1.EntityVerdictsV1
}

/// A short line about a record, for lists.
public struct DecisionSummaryV1: Codable, Sendable {
    /// The record's id.
    public var id: String
    /// When it was recorded.
    public var recordedAt: String
    /// The evaluation date.
    public var asOf: String
    /// The input's name.
    public var inputName: String
    /// Counts per outcome.
    public var summary: [String: Int]
}

/// The append-only SQLite table of decision records.
///
/// Records are only ever inserted: triggers make SQLite refuse any `UPDATE` or `DELETE` of the table
/// and any insert that reuses a number or an id (which `INSERT OR REPLACE` would otherwise turn into a
/// silent delete), so an id, once given, always shows the same content. The kept inputs and rule
/// sets are append-only the same way.
///
/// Database errors are logged in full to the server's standard error and thrown as
/// `DecisionStore.Unavailable`, whose text names no SQL; a second server on the same file waits for
/// the other's write (`busyTimeout`) rather than failing with "database is locked".
public final class DecisionStore: Sendable {
    private let queue: DatabaseQueue

    /// The version of the records written now (`DecisionRecordV1.version`).
    public static let recordVersion = 2

    /// How long a write waits for another connection's write to end before failing.
    public static let busyTimeout: TimeInterval = 10

    /// The decision records could not be read or written; the detail is in the server's log only.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        /// A sentence without the database's own text.
        public var description: String { "the decision records cannot be read or written now; the server's log says why" }
    }

    /// A new record would be larger than the cap; nothing was written.
    public struct TooLarge: Error, Sendable {
        /// The record's size, in bytes (its evaluation JSON and the kept input).
        public var bytes: Int
        /// The cap, in bytes.
        public var limit: Int
    }

    /// Opens (creating if needed) the database at `path`; `":memory:"` keeps it in memory.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        if path == ":memory:" {
            queue = try DatabaseQueue(configuration: configuration)
        } else {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            queue = try DatabaseQueue(path: path, configuration: configuration)
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("decision-records-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE decision (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        recordedAt TEXT NOT NULL,
                        asOf TEXT NOT NULL,
                        criteria TEXT NOT NULL,
                        rulesHash TEXT NOT NULL,
                        inputHash TEXT NOT NULL,
                        inputName TEXT NOT NULL,
                        engineVersion TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        evaluation TEXT NOT NULL,
                        contentHash TEXT NOT NULL
                    );
                    CREATE TRIGGER decision_append_only_update BEFORE UPDATE ON decision
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TRIGGER decision_append_only_delete BEFORE DELETE ON decision
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TRIGGER decision_append_only_replace BEFORE INSERT ON decision
                    WHEN EXISTS (SELECT 1 FROM decision WHERE seq = NEW.seq OR id = NEW.id)
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    """)
        }
        migrator.registerMigration("decision-records-v2") { db in
            // Version 2: short explanations, the record's version, a kept copy of the input and the
            // rule files by hash, from which one unit's full trees are rebuilt.
            try db.execute(
                sql: """
                    ALTER TABLE decision ADD COLUMN recordVersion INTEGER NOT NULL DEFAULT 1;
                    CREATE TABLE decision_input (
                        decision TEXT PRIMARY KEY NOT NULL,
                        input BLOB NOT NULL
                    );
                    CREATE TRIGGER decision_input_append_only_update BEFORE UPDATE ON decision_input
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TRIGGER decision_input_append_only_delete BEFORE DELETE ON decision_input
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TRIGGER decision_input_append_only_replace BEFORE INSERT ON decision_input
                    WHEN EXISTS (SELECT 1 FROM decision_input WHERE decision = NEW.decision)
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TABLE rule_set (
                        hash TEXT PRIMARY KEY NOT NULL,
                        files TEXT NOT NULL
                    );
                    CREATE TRIGGER rule_set_append_only_update BEFORE UPDATE ON rule_set
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TRIGGER rule_set_append_only_delete BEFORE DELETE ON rule_set
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TRIGGER rule_set_append_only_replace BEFORE INSERT ON rule_set
                    WHEN EXISTS (SELECT 1 FROM rule_set WHERE hash = NEW.hash)
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    """)
        }
        migrator.registerMigration("decision-archives") { db in
            // Archiving: the only way records leave the database. An archive is itself recorded
            // (table `archive`, append-only); the delete triggers let go only of records (and their
            // kept inputs) made before the date of a recorded archive, once it is written.
            try db.execute(
                sql: """
                    CREATE TABLE archive (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        archivedAt TEXT NOT NULL,
                        before TEXT NOT NULL,
                        file TEXT NOT NULL,
                        fileHash TEXT NOT NULL,
                        records INTEGER NOT NULL,
                        firstID TEXT,
                        lastID TEXT
                    );
                    CREATE TRIGGER archive_append_only_update BEFORE UPDATE ON archive
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    CREATE TRIGGER archive_append_only_delete BEFORE DELETE ON archive
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    DROP TRIGGER decision_append_only_delete;
                    CREATE TRIGGER decision_append_only_delete BEFORE DELETE ON decision
                    WHEN NOT EXISTS (SELECT 1 FROM archive WHERE OLD.recordedAt < archive.before)
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    DROP TRIGGER decision_input_append_only_delete;
                    CREATE TRIGGER decision_input_append_only_delete BEFORE DELETE ON decision_input
                    WHEN NOT EXISTS (
                        SELECT 1 FROM decision, archive
                        WHERE decision.id = OLD.decision AND decision.recordedAt < archive.before)
                    BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
                    """)
        }
        do {
            try migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw EnvironmentError.unreadable(path: path, reason: .vi("không mở được kho phiếu kết quả: \(error.message ?? "\(error.resultCode)")", en: "the decision records cannot be opened: \(error.message ?? "\(error.resultCode)")"))
        }
    }

    /// The letters of an id's random part: Crockford's base 32 (no I, L, O or U).
    static let idAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Whether a text has the form of a decision id: `KQ-YYYY-NNNNNN-XXXXXX` (or `QD-…`, as ids were
    /// made before) (year, number of at least
    /// six digits, six letters of Crockford's base 32), or `QD-YYYY-NNNNNN` for records made before
    /// record version 2.
    public static func isWellFormed(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 || parts.count == 4 else { return false }
        let random = parts.count == 4 ? parts[3] : "000000"
        return (parts[0] == "KQ" || parts[0] == "QD") && parts[1].count == 4 && parts[2].count >= 6 && parts[2].count <= 12
            && parts[1].allSatisfy(\.isDecimalDigit) && parts[2].allSatisfy(\.isDecimalDigit)
            && random.count == 6 && random.allSatisfy { idAlphabet.contains($0) }
    }

    /// A new id: the year, the record's number and six random letters.
    static func newID(year: String, seq: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = String((0..<6).map { _ in idAlphabet[Int(generator.next(upperBound: UInt32(idAlphabet.count)))] })
        return "KQ-\(year)-" + String(format: "%06d", seq) + "-" + random
    }

    /// Runs database work, logging a database error in full and throwing `Unavailable` instead.
    private func guarded<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            FileHandle.standardError.write(Data("criteria serve: decision records: \(what) failed: \(error)\n".utf8))
            throw Unavailable()
        }
    }

    /// Whether the rule files of a rule-set hash are kept.
    public func hasRuleSet(_ hash: String) throws -> Bool {
        try guarded("reading a rule set") {
            try queue.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rule_set WHERE hash = ?)", arguments: [hash]) } ?? false
        }
    }

    /// Stores an evaluation and returns its record with its new id.
    ///
    /// - Parameters:
    ///   - input: the kept copy of the input (`DatasetInput.stored`), if any.
    ///   - ruleFiles: the rule files of `rulesHash` (relative path → text), when they are not kept yet.
    ///   - maxBytes: the cap on the record (evaluation JSON and kept input); above it `TooLarge` is
    ///     thrown before anything is written.
    ///   - beforeWriting: called after the cap is checked and just before the write; it throws to
    ///     write nothing (the request's deadline passed).
    public func record(
        evaluation: EvaluationOutputV1, criteria: [String], rulesHash: String, inputHash: String, inputName: String,
        input: Data? = nil, ruleFiles: [String: String]? = nil, maxBytes: Int = .max, now: Date = Date(),
        beforeWriting: () throws -> Void = {}
    ) throws -> DecisionRecordV1 {
        let text = try Self.encode(evaluation)
        let size = text.utf8.count + (input?.count ?? 0)
        guard size <= maxBytes else { throw TooLarge(bytes: size, limit: maxBytes) }
        let summary = try Self.encode(evaluation.summary)
        let files = try ruleFiles.map { try Self.encode($0) }
        let recordedAt = Self.timestamp(now)
        let year = String(recordedAt.prefix(4))
        let contentHash = RuleSetHash.sha256(Data(text.utf8))
        try beforeWriting()
        let id: String = try guarded("writing a record") {
            try queue.write { db in
                // The largest number ever given (`sqlite_sequence` keeps it after an archive removed it).
                let last =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'decision'), 0),
                                       COALESCE((SELECT MAX(seq) FROM decision), 0))
                            """) ?? 0
                let seq = last + 1
                let id = Self.newID(year: year, seq: seq)
                try db.execute(
                    sql: """
                        INSERT INTO decision (seq, id, recordedAt, asOf, criteria, rulesHash, inputHash, inputName, engineVersion, summary, evaluation, contentHash, recordVersion)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        seq, id, recordedAt, evaluation.asOf, criteria.joined(separator: ","), rulesHash, inputHash, inputName,
                        EngineVersion.current, summary, text, contentHash, Self.recordVersion,
                    ])
                if let input {
                    try db.execute(sql: "INSERT INTO decision_input (decision, input) VALUES (?, ?)", arguments: [id, input])
                }
                if let files {
                    try db.execute(
                        sql: "INSERT INTO rule_set (hash, files) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM rule_set WHERE hash = ?)",
                        arguments: [rulesHash, files, rulesHash])
                }
                return id
            }
        }
        return DecisionRecordV1(
            id: id, recordedAt: recordedAt, asOf: evaluation.asOf, criteria: criteria, rulesHash: rulesHash, inputHash: inputHash,
            inputName: inputName, engineVersion: EngineVersion.current, contentHash: contentHash, explanations: "brief",
            inputKept: input != nil, evaluation: evaluation)
    }

    /// The columns of a record other than its evaluation.
    private static let headerColumns = """
        decision.id, recordedAt, asOf, criteria, rulesHash, inputHash, inputName, engineVersion, contentHash, recordVersion,
        EXISTS (SELECT 1 FROM decision_input WHERE decision_input.decision = decision.id) AS inputKept
        """

    /// A record from a row of `headerColumns` and an evaluation.
    private static func record(_ row: Row, evaluation: EvaluationOutputV1) -> DecisionRecordV1 {
        let criteria: String = row["criteria"]
        let version: Int = row["recordVersion"]
        return DecisionRecordV1(
            version: version, id: row["id"], recordedAt: row["recordedAt"], asOf: row["asOf"],
            criteria: criteria.split(separator: ",").map(String.init), rulesHash: row["rulesHash"], inputHash: row["inputHash"],
            inputName: row["inputName"], engineVersion: row["engineVersion"], contentHash: row["contentHash"],
            explanations: version >= 2 ? "brief" : "full", inputKept: row["inputKept"], evaluation: evaluation)
    }

    /// The record with an id, or `nil`.
    public func record(id: String) throws -> DecisionRecordV1? {
        guard Self.isWellFormed(id) else { return nil }
        let found: (Row, String)? = try guarded("reading a record") {
            try queue.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.headerColumns), evaluation FROM decision WHERE id = ?", arguments: [id])
                else { return nil }
                return (row, row["evaluation"])
            }
        }
        guard let (row, text) = found else { return nil }
        let evaluation = try JSONDecoder().decode(EvaluationOutputV1.self, from: Data(text.utf8))
        return Self.record(row, evaluation: evaluation)
    }

    /// A record with only some of its units (`evaluation.entities` holds those found, in the record's
    /// order): SQLite picks them out of the stored JSON, so reading one unit's page decodes that unit
    /// and not the whole record. `nil` when there is no such record.
    public func record(id: String, entities ids: [String]) throws -> DecisionRecordV1? {
        guard Self.isWellFormed(id) else { return nil }
        let found: (Row, String, [String])? = try guarded("reading a record") {
            try queue.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT \(Self.headerColumns), json_set(evaluation, '$.entities', json('[]')) AS header
                            FROM decision WHERE id = ?
                            """,
                        arguments: [id])
                else { return nil }
                let marks = ids.map { _ in "?" }.joined(separator: ", ")
                let units: [String] =
                    try ids.isEmpty
                    ? []
                    : String.fetchAll(
                        db,
                        sql: """
                            SELECT unit.value FROM decision, json_each(decision.evaluation, '$.entities') AS unit
                            WHERE decision.id = ? AND json_extract(unit.value, '$.id') IN (\(marks))
                            ORDER BY unit.key
                            """,
                        arguments: StatementArguments([id] + ids))
                return (row, row["header"], units)
            }
        }
        guard let (row, header, units) = found else { return nil }
        var evaluation = try JSONDecoder().decode(EvaluationOutputV1.self, from: Data(header.utf8))
        evaluation.entities = try units.map { try JSONDecoder().decode(EvaluationOutputV1.EntityVerdictsV1.self, from: Data($0.utf8)) }
        return Self.record(row, evaluation: evaluation)
    }

    /// The kept copy of a record's input (`DatasetInput.stored`) and the rule files of its rule set
    /// (relative path → text), each `nil` when not kept.
    func reproduction(id: String) throws -> (input: Data?, ruleFiles: [String: String]?) {
        let (input, files): (Data?, String?) = try guarded("reading a record's input") {
            try queue.read { db in
                let input = try Data.fetchOne(db, sql: "SELECT input FROM decision_input WHERE decision = ?", arguments: [id])
                let files = try String.fetchOne(
                    db, sql: "SELECT files FROM rule_set WHERE hash = (SELECT rulesHash FROM decision WHERE id = ?)", arguments: [id])
                return (input, files)
            }
        }
        return (input, try files.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) })
    }

    /// The stored JSON text of a record's evaluation, exactly as stored.
    public func storedEvaluation(id: String) throws -> String? {
        try guarded("reading a record") {
            try queue.read { db in try String.fetchOne(db, sql: "SELECT evaluation FROM decision WHERE id = ?", arguments: [id]) }
        }
    }

    /// The most recent records, newest first.
    public func recent(limit: Int) throws -> [DecisionSummaryV1] {
        let rows = try guarded("listing records") {
            try queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT id, recordedAt, asOf, inputName, summary FROM decision ORDER BY seq DESC LIMIT ?",
                    arguments: [max(0, limit)])
            }
        }
        return rows.map { row in
            let summary: String = row["summary"]
            return DecisionSummaryV1(
                id: row["id"], recordedAt: row["recordedAt"], asOf: row["asOf"], inputName: row["inputName"],
                summary: (try? JSONDecoder().decode([String: Int].self, from: Data(summary.utf8))) ?? [:])
        }
    }

    /// An archive made by `archive(before:to:)`, as the database records it.
    public struct ArchiveV1: Codable, Sendable {
        /// When it was made, ISO 8601 in UTC.
        public var archivedAt: String
        /// Records made before this instant (ISO 8601, UTC) were archived.
        public var before: String
        /// The file they were written to.
        public var file: String
        /// The SHA-256 of the file.
        public var fileHash: String
        /// How many records it holds.
        public var records: Int
        /// The first and last ids it holds, if any.
        public var firstID: String?
        /// The last id it holds.
        public var lastID: String?
    }

    /// One line of an archive file: a record as `GET /v1/decisions/{id}` answers it, with its kept
    /// input (`DatasetInput.stored`, base 64) and rule files.
    public struct ArchivedRecordV1: Codable, Sendable {
        /// The record.
        public var record: DecisionRecordV1
        /// The kept input, if any.
        public var input: Data?
        /// The rule files of its rule set (relative path → text), if kept.
        public var ruleFiles: [String: String]?
    }

    /// Archives every record made before `date` (midnight UTC) to a new JSON Lines file at `path`,
    /// one `ArchivedRecordV1` a line, then removes them from the database, recording the archive
    /// (when, the date, the file, its SHA-256, how many records, the first and last ids) in the same
    /// transaction. The file is written and flushed before anything is removed; an existing file is
    /// never overwritten. The kept rule sets stay (they are shared and small).
    public func archive(before date: LocalDate, to path: String, now: Date = Date()) throws -> ArchiveV1 {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw EnvironmentError.unreadable(path: path, reason: .vi("tệp lưu trữ đã có; hãy chọn tên khác", en: "the archive file exists already; choose a new name"))
        }
        let before = "\(date)T00:00:00Z"
        // A date to come would take records still being made, after the file was written.
        guard before <= Self.timestamp(now) else {
            throw EnvironmentError.unreadable(path: path, reason: .vi("ngày lưu trữ \(date) chưa qua; chỉ lưu trữ được các phiếu lập trước một ngày đã qua", en: "the archive date \(date) is not in the past; records made before a past day only can be archived"))
        }
        let ids: [String] = try guarded("listing records to archive") {
            try queue.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM decision WHERE recordedAt < ? ORDER BY seq", arguments: [before])
            }
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw EnvironmentError.unreadable(path: path, reason: .vi("không tạo được tệp lưu trữ", en: "the archive file cannot be created"))
        }
        var hasher = SHA256()
        do {
            defer { try? handle.close() }
            for id in ids {
                guard let record = try self.record(id: id) else { continue }
                let (input, files) = try reproduction(id: id)
                let line = Data((try Self.encode(ArchivedRecordV1(record: record, input: input, ruleFiles: files)) + "\n").utf8)
                hasher.update(data: line)
                try handle.write(contentsOf: line)
            }
            try handle.synchronize()
        }
        let archive = ArchiveV1(
            archivedAt: Self.timestamp(now), before: before, file: path, fileHash: RuleSetHash.hex(hasher.finalize()),
            records: ids.count, firstID: ids.first, lastID: ids.last)
        try guarded("removing archived records") {
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO archive (archivedAt, before, file, fileHash, records, firstID, lastID) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [archive.archivedAt, before, path, archive.fileHash, archive.records, archive.firstID, archive.lastID])
                try db.execute(
                    sql: "DELETE FROM decision_input WHERE decision IN (SELECT id FROM decision WHERE recordedAt < ?)", arguments: [before])
                try db.execute(sql: "DELETE FROM decision WHERE recordedAt < ?", arguments: [before])
            }
        }
        return archive
    }

    /// The archives made, oldest first.
    public func archives() throws -> [ArchiveV1] {
        try guarded("listing archives") {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM archive ORDER BY seq").map { row in
                    ArchiveV1(
                        archivedAt: row["archivedAt"], before: row["before"], file: row["file"], fileHash: row["fileHash"],
                        records: row["records"], firstID: row["firstID"], lastID: row["lastID"])
                }
            }
        }
    }

    /// Runs `body` inside a write transaction, holding the database's write lock; for tests of two
    /// servers on one file.
    func whileWriting(_ body: () throws -> Void) throws {
        // GRDB begins a write as BEGIN IMMEDIATE: the lock is taken before `body` runs.
        try queue.write { _ in try body() }
    }

    /// Runs SQL against the table directly; for tests that prove the table refuses changes.
    public func execute(sql: String) throws {
        try queue.write { db in try db.execute(sql: sql) }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0–9.
    fileprivate var isDecimalDigit: Bool { ("0"..."9").contains(self) && isASCII }
}

extension Explanation {
    /// How many deciding conditions a brief explanation keeps.
    static let briefReasons = 3

    /// The brief form a version-2 record keeps of a verdict's explanation: the criterion's node (its
    /// title, source and sentence) and, for a verdict that fails or is unknown, the conditions that
    /// decided it (the leaves of the short tree) with their titles and sentences only — what the
    /// record's page shows under each unit — at most `briefReasons` of them, then one node saying how
    /// many more there are. A unit's page rebuilds its short or full trees (`CriteriaService.entity`).
    var brief: Explanation {
        var root = short
        var reasons: [Explanation] = []
        if root.outcome == .fail || root.outcome == .unknown {
            var stack = [root]
            while let node = stack.popLast() {
                if node.children.isEmpty && node.kind == .check {
                    if node.id != root.id { reasons.append(node) }
                } else {
                    stack.append(contentsOf: node.children.reversed())
                }
            }
        }
        root.values = []
        root.missing = []
        root.expression = nil
        root.requirement = nil
        let more = reasons.count - Self.briefReasons
        if more > 0 {
            var rest = reasons[Self.briefReasons]
            rest.id = root.id + "/…"
            rest.outcome = root.outcome
            rest.title = LocalizedText(vi: "Các điều kiện khác", en: "Other conditions")
            rest.sentence = LocalizedText(
                vi: "… và \(more) điều kiện khác cũng quyết định kết quả; mở đơn vị để xem đủ.",
                en: "… and \(more) more conditions that decided the outcome; open the unit for all of them.")
            reasons = Array(reasons.prefix(Self.briefReasons)) + [rest]
        }
        root.children = reasons.map { leaf in
            var reason = leaf
            reason.source = nil
            reason.expression = nil
            reason.values = []
            reason.requirement = nil
            reason.missing = []
            reason.mattered = true
            return reason
        }
        return root
    }
}
