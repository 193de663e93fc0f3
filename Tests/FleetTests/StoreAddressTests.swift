import Foundation
import Testing

@testable import Fleet

struct StoreAddressTests {
    @Test func aPasswordInTheURLFromTheCommandLineIsRefusedWithoutEchoingIt() {
        #expect {
            _ = try StoreAddress("postgres://precis:hunter2@db:5433/jobs", environment: [:])
        } throws: { error in
            let error = error as? FleetError
            return error?.code == .address && error?.message.contains("hunter2") == false
                && error?.message.contains("PGPASSWORD") == true
        }
    }

    @Test func theURLFromTheEnvironmentMayHoldThePassword() throws {
        let address = try StoreAddress(
            "postgres://precis:hunter2@db:5433/jobs", fromCommandLine: false, environment: [:])
        #expect(address.password == "hunter2")
        #expect(address.description == "postgres://precis@db:5433/jobs")
    }

    @Test func thePasswordComesFromPGPASSWORDBeforePgpass() throws {
        let address = try StoreAddress(
            "postgresql://precis@db/jobs?sslmode=require", environment: ["PGPASSWORD": "from-env"])
        #expect(address.password == "from-env")
        #expect(address.port == 5432)
        #expect(address.tls == .require)
    }

    @Test func pgpassMatchesWildcardsAndEscapesAndTakesTheFirstMatchingLine() throws {
        let text = """
            # host:port:database:user:password
            other:5432:jobs:precis:wrong
            db:*:jobs:precis:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        #expect(PGPass.password(in: text, host: "db", port: 6543, database: "jobs", user: "precis") == "pa:ss\\word")
        #expect(PGPass.password(in: text, host: "elsewhere", port: 1, database: "x", user: "y") == "fallback")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try Data("db:5432:jobs:precis:from-file\n".utf8).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let address = try StoreAddress("postgres://precis@db/jobs", environment: ["PGPASSFILE": dir.path])
        #expect(address.password == "from-file")
    }

    @Test func anotherSchemeOrSSLModeIsRefused() {
        #expect(throws: FleetError.self) { try StoreAddress("mysql://precis@db/jobs", environment: [:]) }
        #expect(throws: FleetError.self) {
            try StoreAddress("postgres://precis@db/jobs?sslmode=sometimes", environment: [:])
        }
    }
}
