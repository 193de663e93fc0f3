import ArgumentParser
import Foundation
import Pipeline

/// `precis models`: lists the models the pipeline's server offers.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract:
            "List the models an OpenAI-compatible server offers, with their context windows and the pipeline's prices.",
        discussion: """
            Asks the server's GET /models with the pipeline's key, so it also checks that the key works.

            Examples:
              precis models                                   # Kimi, with MOONSHOT_API_KEY (the kimi pipeline's server)
              precis models --base-url http://127.0.0.1:8080/v1 --pipeline my-local.yaml
            """
    )

    @Option(name: .shortAndLong, help: "A pipeline file, or a name `precis pipelines` lists (default: kimi).")
    var pipeline: String = "kimi"

    @Option(help: "The API root of the server (overrides MOONSHOT_BASE_URL and the pipeline).")
    var baseURL: String?

    func run() async throws {
        let config = try PipelineLoader.load(pipeline)
        let models = try await ModelCatalog.list(
            config, options: RunOptions(inputs: [], outputDirectory: URL(fileURLWithPath: "."), baseURL: baseURL))
        for model in models {
            let window = model.contextLength.map { "\($0) tokens" } ?? "window unknown"
            let price = config.prices[model.id].map { "  " + $0.line(currency: config.currency) } ?? ""
            print("\(model.id)  \(window)\(price)\(ModelCatalog.note(for: model.id))")
        }
        let listed = Set(models.map(\.id))
        let retired = ModelCatalog.retired.filter { !listed.contains($0.model) }
        if !retired.isEmpty {
            print(
                "retired (the platform answers 404): "
                    + retired.map { "\($0.model) → \($0.successor)" }.joined(separator: ", "))
        }
    }
}
