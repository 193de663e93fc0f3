import Foundation
import PrecisTesting
import Testing
import Yams

/// The shipped deploy/ files hang together and say what precis understands.
struct DeployManifestTests {
    let kubernetes = TestSupport.root.appendingPathComponent("deploy/kubernetes")

    func manifest(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: kubernetes.appendingPathComponent(name), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test func theIndexedJobRunsWorkersThatReadTheSecretTheConfigMapAndTheVolumeShipped() async throws {
        let job = try manifest("job.yaml")
        let secret = try manifest("secret.yaml")
        let config = try manifest("configmap.yaml")
        let pvc = try manifest("pvc.yaml")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        #expect(spec["completions"] as? Int == spec["parallelism"] as? Int)
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let secretName = (secret["metadata"] as? [String: Any])?["name"] as? String
        let secretKeys = Set(((secret["stringData"] as? [String: Any]) ?? [:]).keys)
        let configName = (config["metadata"] as? [String: Any])?["name"] as? String
        let configKeys = Set(((config["data"] as? [String: Any]) ?? [:]).keys)
        for env in try #require(container["env"] as? [[String: Any]]) {
            let from = try #require(env["valueFrom"] as? [String: Any])
            if let ref = from["secretKeyRef"] as? [String: Any] {
                #expect(ref["name"] as? String == secretName && secretKeys.contains(ref["key"] as? String ?? ""))
            } else if let ref = from["configMapKeyRef"] as? [String: Any] {
                #expect(ref["name"] as? String == configName && configKeys.contains(ref["key"] as? String ?? ""))
            }
        }
        #expect(
            Set(((container["env"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }).isSuperset(of: [
                "MOONSHOT_API_KEY", "PGPASSWORD", "PRECIS_STORE"
            ]))
        let claim =
            ((pod["volumes"] as? [[String: Any]])?.first?["persistentVolumeClaim"] as? [String: Any])?["claimName"]
            as? String
        #expect(claim == (pvc["metadata"] as? [String: Any])?["name"] as? String)
        #expect(
            ((config["data"] as? [String: Any])?["PRECIS_STORE"] as? String)?.contains(":replace") == false,
            "no password in the URL")

        // The container's arguments are ones precis takes: a dry run parses them and touches no database.
        let dir = try TestSupport.temporaryDirectory()
        let args = try #require(container["args"] as? [String]).map {
            $0.replacingOccurrences(of: "/data/in", with: TestSupport.samples.path)
                .replacingOccurrences(of: "/data/out", with: dir.appendingPathComponent("out").path)
                .replacingOccurrences(of: "$(PRECIS_STORE)", with: "postgres://precis@127.0.0.1:9/precis")
        }
        let result = try await PrecisProcess.run(args + ["--dry-run"], environment: ["MOONSHOT_API_KEY": "sk-test"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func theSlurmScriptsAreValidBashAndChainTheMergeAfterTheArray() throws {
        let slurm = TestSupport.root.appendingPathComponent("deploy/slurm")
        for name in ["precis-array.sbatch", "precis-merge.sbatch", "submit.sh"] {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/bin/bash")
            check.arguments = ["-n", slurm.appendingPathComponent(name).path]
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "\(name) does not parse")
        }
        let submit = try String(contentsOf: slurm.appendingPathComponent("submit.sh"), encoding: .utf8)
        #expect(submit.contains("--dependency=\"afterok:$array\""))
        let array = try String(contentsOf: slurm.appendingPathComponent("precis-array.sbatch"), encoding: .utf8)
        #expect(array.contains("--shards \"${SLURM_ARRAY_TASK_COUNT}\""))
    }
}
