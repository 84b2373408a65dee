import ArgumentParser
import Testing

@testable import CriteriaCLI

/// `criteria serve`'s connection options (Docs/server.md): bad values are refused before anything
/// starts, with the option named.
@Suite("serve options")
struct ServeOptionsTests {
    private func refusal(_ arguments: [String]) async throws -> String? {
        let command = try #require(try CriteriaCommand.parseAsRoot(["serve", "--rules", "Rules"] + arguments) as? ServeCommand)
        do {
            try await command.run()
            return nil
        } catch let error as ValidationError {
            return error.message
        }
    }

    @Test("timeouts out of range, a cap below one, a host list entry that is not one name and a body budget below the body limit are refused")
    func refused() async throws {
        #expect(try await refusal(["--idle-timeout", "100000"])?.contains("--idle-timeout") == true)
        #expect(try await refusal(["--body-timeout", "86401"])?.contains("--body-timeout") == true)
        #expect(try await refusal(["--max-connections", "0"])?.contains("--max-connections") == true)
        #expect(try await refusal(["--allowed-host", "a.example, b.example"])?.contains("--allowed-host") == true)
        #expect(try await refusal(["--allowed-host", "http://a.example/"])?.contains("--allowed-host") == true)
        // A budget of bodies below the body limit would refuse every upload at the limit.
        #expect(try await refusal(["--max-held-body-size", "1M"])?.contains("--max-held-body-size must be at least the body limit") == true)
    }

    @Test("the host list is repeatable and the defaults are the documented ones")
    func parsed() throws {
        let command = try #require(
            try CriteriaCommand.parseAsRoot(["serve", "--allowed-host", "criteria.example.gov.vn", "--allowed-host", "127.0.0.1"])
                as? ServeCommand)
        #expect(command.allowedHosts == ["criteria.example.gov.vn", "127.0.0.1"])
        #expect(command.idleTimeout == 30 && command.bodyTimeout == 60 && command.maxConnections == 256)
        #expect(ServeCommand.connectionsTheFileLimitAllows() >= 1)
        #expect(command.maxHeldBodySize == nil)
        let sized = try #require(try CriteriaCommand.parseAsRoot(["serve", "--max-held-body-size", "128M"]) as? ServeCommand)
        #expect(sized.maxHeldBodySize?.bytes == 128 << 20)
    }
}
