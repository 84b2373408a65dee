import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Uploads of CSV tables as Excel's plain "CSV" saves them on a Vietnamese Windows.
@Suite struct SpreadsheetUploadTests {
    @Test("Windows-1258, ;-separated tables give the verdicts of the UTF-8 tables")
    func excelTablesAgreeWithUTF8() async throws {
        func form(_ folder: String) throws -> (ByteBuffer, HTTPFields) {
            let fields = ["province", "districts", "communes", "units", "successions", "dataset"]
            return multipart(try fields.map { ($0, "\($0).csv", try fixture(folder + "/\($0).csv")) })
        }
        let excel = try form("Tests/CriteriaEngineTests/Fixtures/data/excel-csv")
        let utf8 = try form("Examples/thanh-hoa-2026/csv")
        try await withClient(try makeService()) { client in
            func summary(_ upload: (ByteBuffer, HTTPFields)) async throws -> [String: Int] {
                try await client.execute(uri: "/v1/evaluations?as_of=2026-12-07", method: .post, headers: upload.1, body: upload.0) {
                    response async throws in
                    #expect(response.status == .created, "\(response.text.prefix(400))")
                    return try response.decode(DecisionRecordV1.self).evaluation.summary
                }
            }
            let fromExcel = try await summary(excel)
            #expect(!fromExcel.isEmpty)
            #expect(fromExcel == (try await summary(utf8)))
        }
    }
}
