import Testing

@testable import ChatAPI

struct SecretRedactorTests {
    @Test func theKeyAndAnyBearerCredentialAreReplacedWhereverTheyStand() {
        let redactor = SecretRedactor(secrets: ["sk-live-0123456789"])
        let echoed =
            "Invalid Authentication: Bearer sk-live-0123456789 (key sk-live-0123456789 is not valid); also bearer abc.def"
        let text = redactor.redact(echoed)
        #expect(!text.contains("sk-live-0123456789"))
        #expect(!text.contains("abc.def"), "a bearer credential that is not our key is hidden too")
        #expect(
            text == "Invalid Authentication: Bearer [redacted] (key [redacted] is not valid); also bearer [redacted]")
        #expect(redactor.redact("rate limit reached") == "rate limit reached")
    }

    @Test func anErrorFromTheServerLosesTheKeyButKeepsItsMeaning() {
        let redactor = SecretRedactor(secrets: ["sk-live-0123456789"])
        let error = ChatAPIError(
            .authentication, status: 401, "the API key was refused: key sk-live-0123456789 is not valid")
        let redacted = redactor.redact(error) as? ChatAPIError
        #expect(redacted?.code == .authentication && redacted?.status == 401)
        #expect(redacted?.message == "the API key was refused: key [redacted] is not valid")
    }

    @Test func onlyLiteralLoopbackAddressesAndLocalhostAreThisMachine() {
        let loopback = [
            "http://127.0.0.1:8080/v1", "http://127.45.6.7/v1", "http://localhost:11434/v1", "http://[::1]:8000/v1",
            "http://LOCALHOST/v1", "http://[0:0:0:0:0:0:0:1]/v1"
        ]
        let elsewhere = [
            "http://127.attacker.example/v1", "http://127.0.0.1.nip.io/v1", "http://localhost.attacker.example/v1",
            "http://128.0.0.1/v1", "http://0.0.0.0:8000/v1", "http://[::2]/v1", "http://10.0.0.1/v1", "http://127.1/v1"
        ]
        for url in loopback {
            #expect(ChatClientConfiguration(baseURL: url, apiKey: "k").isLoopback, "\(url)")
        }
        for url in elsewhere {
            let configuration = ChatClientConfiguration(baseURL: url, apiKey: "k")
            #expect(!configuration.isLoopback, "\(url)")
            #expect { try configuration.checkTransport() } throws: { ($0 as? ChatAPIError)?.code == .insecureTransport }
        }
    }
}
