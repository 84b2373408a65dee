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

    @Test("An .xlsx workbook uploads (by name, or as a body by content type) and gives the CSV tables' verdicts")
    func workbookUploads() async throws {
        let workbook = try fixture("Examples/thanh-hoa-2026/province.xlsx")
        let fields = ["province", "districts", "communes", "units", "successions", "dataset"]
        let csv = multipart(try fields.map { ($0, "\($0).csv", try fixture("Examples/thanh-hoa-2026/csv/\($0).csv")) })
        let upload = multipart([("file", "Báo cáo tỉnh.xlsx", workbook)])
        try await withClient(try makeService()) { client in
            func summary(_ body: ByteBuffer, _ headers: HTTPFields) async throws -> [String: Int] {
                try await client.execute(uri: "/v1/evaluations?as_of=2026-12-07", method: .post, headers: headers, body: body) {
                    response async throws in
                    #expect(response.status == .created, "\(response.text.prefix(400))")
                    return try response.decode(DecisionRecordV1.self).evaluation.summary
                }
            }
            let fromCSV = try await summary(csv.0, csv.1)
            #expect(!fromCSV.isEmpty)
            #expect(try await summary(upload.0, upload.1) == fromCSV)
            var headers = HTTPFields()
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            #expect(try await summary(ByteBuffer(bytes: workbook), headers) == fromCSV)
        }
    }

    @Test("A broken workbook is a 422 with a located diagnostic, not a 415")
    func brokenWorkbookIsLocated() async throws {
        let upload = multipart([("file", "communes.xlsx", Data("id,name\n".utf8))])
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/v1/evaluations?as_of=2026-12-07", method: .post, headers: upload.1, body: upload.0) { response in
                #expect(response.status == .unprocessableContent, "\(response.status) \(response.text.prefix(300))")
                #expect(response.text.contains("xlsx.not-a-workbook"))
            }
            let mistakes = multipart([("file", "mistakes.xlsx", try fixture("Tests/CriteriaEngineTests/Fixtures/data/xlsx/mistakes.xlsx"))])
            try await client.execute(uri: "/v1/evaluations?as_of=2026-12-07", method: .post, headers: mistakes.1, body: mistakes.0) { response in
                #expect(response.text.contains("\"sheet\" : \"communes\""), "\(response.text.prefix(600))")
            }
        }
    }

    @Test("A record downloads as .xlsx from its page: a sheet per level with the verdicts in words, the sources")
    func recordDownloadsAsWorkbook() async throws {
        let upload = multipart([("file", "province.xlsx", try fixture("Examples/thanh-hoa-2026/province.xlsx"))])
        try await withClient(try makeService()) { client in
            let id = try await client.execute(uri: "/v1/evaluations?as_of=2026-12-07", method: .post, headers: upload.1, body: upload.0) {
                response async throws in
                #expect(response.status == .created)
                return try response.decode(DecisionRecordV1.self).id
            }
            try await client.execute(uri: "/decisions/\(id)", method: .get) { response in
                #expect(response.text.contains("/decisions/\(id)/export.xlsx"))
                #expect(response.text.contains("Tải về .xlsx"))
            }
            try await client.execute(uri: "/decisions/\(id)/export.xlsx", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(response.headers[.contentDisposition]?.contains("attachment") == true)
                let book = try XLSXWorkbook.read(Data(response.body.readableBytesView), path: "record.xlsx")
                #expect(book.sheetNames.contains("Căn cứ"))
                let communes = try #require(book.sheets.first { $0.name.contains("Xã") })
                let header = communes.rows[0].cells
                let column = try #require(header.first { $0.text == "tt124.xa" }?.column)
                let row = try #require(communes.rows.first { $0.cells.first?.text == "16002" })
                #expect(row.cells.first { $0.column == column }?.text == Outcome.fail.text(in: .vi))
            }
            try await client.execute(uri: "/decisions/QD-NONE/export.xlsx", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
