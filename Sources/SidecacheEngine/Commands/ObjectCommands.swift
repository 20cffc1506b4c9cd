import NIOCore
import SidecacheRESP

/// Introspection of one key's value, from Redis's `object.c`: OBJECT ENCODING, FREQ,
/// IDLETIME, REFCOUNT, HELP and MEMORY USAGE.
package enum ObjectCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("object|encoding", encoding), ("object|freq", freq), ("object|idletime", idletime),
        ("object|refcount", refcount), ("object|help", help), ("memory|usage", memoryUsage),
    ]

    /// Redis shares the string objects of the integers 0..<10000 between keys when no
    /// LRU/LFU maxmemory policy needs a per-object access time.
    static let sharedIntegers: Range<Int64> = 0..<10_000
    /// The reference count Redis reports for a shared object (`OBJ_SHARED_REFCOUNT`, INT_MAX).
    static let sharedRefcount = Int(Int32.max)

    static let lfuNotSelected =
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
    static let lfuSelected =
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."

    /// OBJECT's lookup (`objectCommandLookup`): an expired key is deleted and answers null;
    /// a hit or miss is counted (a miss without a `keymiss` event); the access time is left
    /// alone. Replies null and returns
    /// `nil` for a missing key.
    private static func lookup(_ client: EngineClient, _ db: Database) -> KeyEntry? {
        guard let entry = client.frame.withArgument(2, { db.lookup($0, options: [.countStatistics, .noTouch, .noNotify]) }) else {
            client.replyNull()
            return nil
        }
        return entry
    }

    static func encoding(_ client: EngineClient, _ db: Database) {
        guard let entry = lookup(client, db) else { return }
        entry.value.encodingName.withUTF8Buffer { client.replyBulk(UnsafeRawBufferPointer($0)) }
    }

    /// OBJECT FREQ: the key's LFU counter after decay (`LFUDecrAndReturn`), under an LFU
    /// policy; Redis's error under any other. A missing key answers null first, as in Redis.
    static func freq(_ client: EngineClient, _ db: Database) {
        guard let entry = lookup(client, db) else { return }
        guard db.keyspace.usesLFU else { return client.replyError(lfuNotSelected) }
        client.replyInteger(Int(db.keyspace.lfuCounter(entry.accessClock)))
    }

    /// OBJECT IDLETIME: seconds since the key's last access, from the 24-bit access clock;
    /// Redis's error under an LFU policy, where the clock holds the counter instead.
    static func idletime(_ client: EngineClient, _ db: Database) {
        guard let entry = lookup(client, db) else { return }
        guard !db.keyspace.usesLFU else { return client.replyError(lfuSelected) }
        client.replyInteger(idleSeconds(lastAccess: entry.accessClock, now: db.keyspace.accessClock))
    }

    /// Redis's `estimateObjectIdleTime` in seconds. The clock wraps every 2^24 s (194 days);
    /// across a wrap Redis adds `max - lastAccess`, one second short of the true distance,
    /// and so does this.
    package static func idleSeconds(lastAccess: UInt32, now: UInt32) -> Int {
        if now >= lastAccess { return Int(now - lastAccess) }
        return Int(now) + Int(KeyspaceState.accessClockMax - lastAccess)
    }

    /// OBJECT REFCOUNT: what Redis 7 answers for the same value with maxmemory unset. An
    /// `int` value in 0..<10000 is one of Redis's shared integers (INT_MAX); any other value
    /// is referenced once. One known difference: Redis's COPY duplicates a shared integer
    /// into a private object (refcount 1), which this layout does not record, so a copied
    /// small integer still answers INT_MAX here.
    static func refcount(_ client: EngineClient, _ db: Database) {
        guard let entry = lookup(client, db) else { return }
        if case .integer(let number) = entry.value, sharedIntegers.contains(number) {
            client.replyInteger(sharedRefcount)
        } else {
            client.replyInteger(1)
        }
    }

    static let helpLines = [
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
    ]

    /// OBJECT HELP: Redis 7.0.15's text, as status lines (`addReplyHelp`).
    static func help(_ client: EngineClient, _ db: Database) {
        client.replyHelp(command: "OBJECT", lines: helpLines)
    }

    /// MEMORY USAGE key [SAMPLES count]: Redis's option checks (SAMPLES needs an integer
    /// of at least 0, anything else is a syntax error), then the key as it sits in the table
    /// (no expiry check, statistics or access-time update, as Redis's `dictFind`): null when
    /// absent, else `KeyEntry.estimatedMemoryUsage`. The estimate describes Sidecache's own
    /// layout, so the numbers differ from redis-server's. SAMPLES has no effect: every
    /// collection's estimate is exact for our layout and O(1), where Redis samples elements.
    static func memoryUsage(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        var index = 3
        while index < frame.count {
            guard frame.argument(index, equalsCaseInsensitive: "samples") && index + 1 < frame.count else {
                client.replySyntaxError()
                return
            }
            guard let samples = client.integerArgument(index + 1) else { return }
            guard samples >= 0 else {
                client.replySyntaxError()
                return
            }
            index += 2
        }
        guard let entry = frame.withArgument(2, { db.peek($0) }) else {
            client.replyNull()
            return
        }
        client.replyInteger(entry.estimatedMemoryUsage)
    }
}
