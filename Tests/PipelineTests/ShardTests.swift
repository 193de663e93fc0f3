import Foundation
import Pipeline
import Testing

struct ShardTests {
    @Test func everyFileBelongsToExactlyOneShardTheSameOnEveryMachine() throws {
        let paths = (0..<500).map { "folder-\($0 % 7)/document-\($0).txt" }
        let shards = (0..<4).map { Shard(index: $0, count: 4) }
        for path in paths {
            #expect(shards.filter { $0.owns(path) }.count == 1)
        }
        let sizes = shards.map { shard in paths.filter(shard.owns).count }
        #expect(sizes.allSatisfy { $0 > 80 }, "a stable hash spreads files evenly: \(sizes)")
        // The hash is FNV-1a of the path's bytes: fixed, not Swift's per-process seeded hash.
        #expect(Shard(index: 0, count: 1000).owns("a") == ((0xaf63_dc4c_8601_ec8c as UInt64) % 1000 == 0))
        #expect(shards.map { $0.owns("报告/年度.pdf") } == shards.map { $0.owns("报告/年度.pdf") })
    }

    @Test func readsIOfNAndRefusesAnIndexOutOfRange() {
        #expect(Shard("2/4") == Shard(index: 2, count: 4))
        #expect(Shard("4/4") == nil)
        #expect(Shard("-1/4") == nil)
        #expect(Shard("1") == nil)
        #expect(Shard("1/0") == nil)
    }
}
