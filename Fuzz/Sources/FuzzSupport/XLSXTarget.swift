@_spi(Fuzz) import CriteriaEngine
import Foundation

/// Bytes → an `.xlsx` workbook → `XLSXDatasetReader` (ZIPFoundation, SWXMLHash, the CSV tables'
/// builder), typed by the inputs of `Rules/`, with small bounds so that one input stays fast: 64 KiB
/// unpacked, 5,000 cells. Every error must be located: at the workbook (1:1) or at a cell of one of its
/// sheets, never in the intermediate CSV text.
enum XLSXTarget {
    static func run(_ bytes: [UInt8]) {
        var limits = Limits.default
        limits.maxDataBytes = 16 << 10  // the parts may unpack to 4 × this
        var bounds = XLSXWorkbook.Bounds(limits)
        bounds.maxCells = 5_000
        let path = "fuzz.xlsx"
        do {
            let workbook = try XLSXWorkbook.read(Data(bytes), path: path, bounds: bounds)
            _ = try XLSXDatasetReader.read(workbook, inputs: FuzzContext.shared.graph.inputs, limits: limits)
        } catch {
            FuzzProperty.expectLocated(error.diagnostics, in: nil, input: bytes)
            for diagnostic in error.diagnostics where diagnostic.severity == .error {
                guard let range = diagnostic.range else { continue }
                if range.file != path { FuzzProperty.violation("error placed in \(range.file), not in the workbook", diagnostic, bytes) }
                if range.sheet != nil, range.start.column > 16_384 || range.start.line > 1_048_576 {
                    FuzzProperty.violation("error at a cell outside a sheet", diagnostic, bytes)
                }
            }
        }
    }
}
