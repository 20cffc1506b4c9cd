/// The object type byte that starts a DUMP payload (`RDB_TYPE_*` in Redis's `rdb.h`).
package enum RDBType: UInt8, Sendable {
    case string = 0
    case list = 1
    case set = 2
    case zset = 3
    case hash = 4
    case zset2 = 5
    case modulePreGA = 6
    case module2 = 7
    case hashZipmap = 9
    case listZiplist = 10
    case setIntset = 11
    case zsetZiplist = 12
    case hashZiplist = 13
    case listQuicklist = 14
    case streamListpacks = 15
    case hashListpack = 16
    case zsetListpack = 17
    case listQuicklist2 = 18
    case streamListpacks2 = 19
    /// Redis 7.2 (RDB 11).
    case setListpack = 20
    case streamListpacks3 = 21
    /// Redis 7.4 (RDB 12): hashes whose fields carry expiry times.
    case hashMetadataPreGA = 22
    case hashListpackExPreGA = 23
    case hashMetadata = 24
    case hashListpackEx = 25
}
