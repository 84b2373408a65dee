import CriteriaEngine
import Foundation
import GRDB

/// A decision record: one evaluation made through the server, as it was answered.
///
/// The evaluation is stored as the JSON text that was sent, and pages are drawn from that text, never
/// from a new evaluation: the record shows what was decided even after the rules change.
public struct DecisionRecordV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// The id an inspector cites, `QD-2026-000123`: the year it was recorded and its number.
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
    /// The verdicts with their full explanation trees.
    public var evaluation: EvaluationOutputV1
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
/// silent delete), so an id, once given, always shows the same content.
public final class DecisionStore: Sendable {
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path`; `":memory:"` keeps it in memory.
    public init(path: String) throws {
        if path == ":memory:" {
            queue = try DatabaseQueue()
        } else {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            queue = try DatabaseQueue(path: path)
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
        try migrator.migrate(queue)
    }

    /// Whether a text has the form of a decision id, `QD-YYYY-NNNNNN`.
    public static func isWellFormed(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "QD" && parts[1].count == 4 && parts[2].count >= 6
            && parts[1].allSatisfy(\.isDecimalDigit) && parts[2].allSatisfy(\.isDecimalDigit)
    }

    /// Stores an evaluation and returns its record with its new id.
    public func record(
        evaluation: EvaluationOutputV1, criteria: [String], rulesHash: String, inputHash: String, inputName: String,
        now: Date = Date()
    ) throws -> DecisionRecordV1 {
        let text = try Self.encode(evaluation)
        let summary = try Self.encode(evaluation.summary)
        let recordedAt = Self.timestamp(now)
        let year = String(recordedAt.prefix(4))
        let contentHash = RuleSetHash.sha256(Data(text.utf8))
        let id: String = try queue.write { db in
            let last = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM decision") ?? 0
            let seq = last + 1
            let id = "QD-\(year)-" + String(format: "%06d", seq)
            try db.execute(
                sql: """
                    INSERT INTO decision (seq, id, recordedAt, asOf, criteria, rulesHash, inputHash, inputName, engineVersion, summary, evaluation, contentHash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    seq, id, recordedAt, evaluation.asOf, criteria.joined(separator: ","), rulesHash, inputHash, inputName,
                    EngineVersion.current, summary, text, contentHash,
                ])
            return id
        }
        return DecisionRecordV1(
            id: id, recordedAt: recordedAt, asOf: evaluation.asOf, criteria: criteria, rulesHash: rulesHash, inputHash: inputHash,
            inputName: inputName, engineVersion: EngineVersion.current, contentHash: contentHash, evaluation: evaluation)
    }

    /// The record with an id, or `nil`.
    public func record(id: String) throws -> DecisionRecordV1? {
        guard Self.isWellFormed(id) else { return nil }
        guard let row = try queue.read({ db in try Row.fetchOne(db, sql: "SELECT * FROM decision WHERE id = ?", arguments: [id]) })
        else { return nil }
        let text: String = row["evaluation"]
        let criteria: String = row["criteria"]
        let evaluation = try JSONDecoder().decode(EvaluationOutputV1.self, from: Data(text.utf8))
        return DecisionRecordV1(
            id: row["id"], recordedAt: row["recordedAt"], asOf: row["asOf"],
            criteria: criteria.split(separator: ",").map(String.init), rulesHash: row["rulesHash"], inputHash: row["inputHash"],
            inputName: row["inputName"], engineVersion: row["engineVersion"], contentHash: row["contentHash"], evaluation: evaluation)
    }

    /// The stored JSON text of a record's evaluation, exactly as stored.
    public func storedEvaluation(id: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT evaluation FROM decision WHERE id = ?", arguments: [id]) }
    }

    /// The most recent records, newest first.
    public func recent(limit: Int) throws -> [DecisionSummaryV1] {
        let rows = try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, recordedAt, asOf, inputName, summary FROM decision ORDER BY seq DESC LIMIT ?",
                arguments: [max(0, limit)])
        }
        return rows.map { row in
            let summary: String = row["summary"]
            return DecisionSummaryV1(
                id: row["id"], recordedAt: row["recordedAt"], asOf: row["asOf"], inputName: row["inputName"],
                summary: (try? JSONDecoder().decode([String: Int].self, from: Data(summary.utf8))) ?? [:])
        }
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
