/// One of a command's key specifications (Redis 7 `keySpec`): where the search for keys
/// begins and how keys are found from there. Read by COMMAND GETKEYS, and later by the
/// cache policy and the slot router.
public struct KeySpec: Sendable, Equatable {
    public enum BeginSearch: Sendable, Equatable {
        case index(Int)
        case keyword(String, startFrom: Int)
        case unknown
    }

    public enum FindKeys: Sendable, Equatable {
        case range(lastKey: Int, keyStep: Int, limit: Int)
        case keyNumber(keyNumberIndex: Int, firstKey: Int, keyStep: Int)
        case unknown
    }

    public var flags: [String]
    public var beginSearch: BeginSearch
    public var findKeys: FindKeys

    init(meta: CommandMeta) {
        flags = meta["flags"]?.elements.compactMap(\.text) ?? []
        let begin = meta["begin_search"]
        switch begin?["type"]?.text {
        case "index":
            beginSearch = .index(begin?["spec"]?["index"]?.intValue ?? 0)
        case "keyword":
            beginSearch = .keyword(
                begin?["spec"]?["keyword"]?.text ?? "",
                startFrom: begin?["spec"]?["startfrom"]?.intValue ?? 0
            )
        default:
            beginSearch = .unknown
        }
        let find = meta["find_keys"]
        let spec = find?["spec"]
        switch find?["type"]?.text {
        case "range":
            findKeys = .range(
                lastKey: spec?["lastkey"]?.intValue ?? 0,
                keyStep: spec?["keystep"]?.intValue ?? 1,
                limit: spec?["limit"]?.intValue ?? 0
            )
        case "keynum":
            findKeys = .keyNumber(
                keyNumberIndex: spec?["keynumidx"]?.intValue ?? 0,
                firstKey: spec?["firstkey"]?.intValue ?? 1,
                keyStep: spec?["keystep"]?.intValue ?? 1
            )
        default:
            findKeys = .unknown
        }
    }

    public var isIncomplete: Bool { flags.contains("incomplete") }
}
