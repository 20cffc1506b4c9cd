/// Where commands the local engine does not answer go: nowhere (a standalone server), one
/// Redis server, ketama shards, a Redis Cluster or a Sentinel-managed primary.
public enum UpstreamMode: String, Sendable, CaseIterable {
    case none, single, sharded, cluster, sentinel
}
