@_spi(Fuzz) import CriteriaEngine

/// Bytes → dataset: the first byte picks the format (YAML, JSON, or a CSV `communes.csv` table), the
/// rest is the file. `SourceReader.decode`, then the format's reader and the decoder, typed by the
/// inputs of `Rules/`. Every error must be located in the file.
enum DatasetTarget {
    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        let path = ["fuzz.yaml", "fuzz.json", "communes.csv"][Int(selector % 3)]
        let file: SourceFile
        do {
            file = try SourceReader.decode(body, path: path)
        } catch {
            FuzzProperty.expectLocated(error.diagnostics, in: nil, input: bytes)
            return
        }
        let inputs = FuzzContext.shared.graph.inputs
        do {
            switch selector % 3 {
            case 0:
                let root = try YAMLReader.read(file, maxNesting: Limits.default.maxDataNesting)
                _ = try DatasetDecoder.decode(root, inputs: inputs)
            case 1:
                let root = try JSONReader.read(file, maxNesting: Limits.default.maxDataNesting)
                _ = try DatasetDecoder.decode(root, inputs: inputs)
            default:
                _ = try CSVDatasetReader.read(tables: [.commune: file], source: "fuzz", inputs: inputs)
            }
        } catch {
            FuzzProperty.expectLocated(error.diagnostics, in: file, input: bytes)
        }
    }
}
