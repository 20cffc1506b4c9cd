/// twemproxy's key hashes, by their configuration names (the upstream module implements them).
public enum ShardHashName: String, Sendable, CaseIterable {
    case oneAtATime = "one_at_a_time"
    case md5, crc16, crc32, crc32a
    case fnv1_64, fnv1a_64, fnv1_32, fnv1a_32
    case hsieh, murmur, jenkins
}

/// How keys spread over shards, as twemproxy's `distribution`.
public enum ShardDistributionName: String, Sendable, CaseIterable {
    case ketama, modula, random
}

/// What happens to the keys of an ejected shard.
public enum EjectedShardPolicy: String, Sendable, CaseIterable {
    /// Requests for its keys fail at once with an error until it returns (the default: no key
    /// ever lands on a shard that does not own it).
    case fail
    /// Its keys are hashed over the remaining shards until it returns (twemproxy's
    /// `auto_eject_hosts: true`): a cache may prefer a miss elsewhere to an error.
    case rehash
}

/// Where cluster mode sends read-only commands.
public enum ClusterReadPolicy: String, Sendable, CaseIterable {
    /// Always the slot's primary (the default: reads see every acknowledged write).
    case primary
    /// A replica of the slot's primary when one is in service, else the primary.
    case preferReplica = "prefer-replica"
    /// A replica when the primary has one (even one that is failing), else the primary.
    case replica
}
