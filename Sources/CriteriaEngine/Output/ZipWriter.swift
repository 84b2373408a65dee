import Foundation
import ZIPFoundation

/// A zip archive made in memory by ZIPFoundation, its parts deflated and dated 2020-01-01, so the
/// same parts give the same bytes (an `.xlsx` workbook, a playground change set).
enum ZipWriter {
    /// The archive of the parts, in their order.
    static func data(_ parts: [(path: String, bytes: Data)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        let date = Date(timeIntervalSince1970: 1_577_836_800)
        for (path, bytes) in parts {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date, compressionMethod: .deflate
            ) { position, size in
                bytes.subdata(in: Int(position)..<min(bytes.count, Int(position) + size))
            }
        }
        return archive.data ?? Data()
    }
}
