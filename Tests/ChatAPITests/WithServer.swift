import ChatAPI
import PrecisTesting

/// Runs `body` with a client of a fresh fake server, and stops both however `body` ends.
func withServer<T>(
    _ configuration: FakeServerConfiguration = FakeServerConfiguration(), key: String? = "sk-test",
    readTimeout: Duration = .seconds(30), requestTimeout: Duration = .seconds(60),
    _ body: (ChatClient, FakeMoonshotServer) async throws -> T
) async throws -> T {
    let server = try await FakeMoonshotServer.start(configuration)
    let client = try ChatClient(
        configuration: ChatClientConfiguration(
            baseURL: server.baseURL, apiKey: key, readTimeout: readTimeout, requestTimeout: requestTimeout))
    do {
        let result = try await body(client, server)
        await client.shutdown()
        await server.stop()
        return result
    } catch {
        await client.shutdown()
        await server.stop()
        throw error
    }
}
