extension KeyspaceEventClass {
    /// `A`: every class of event except key misses (`m`) and new keys (`n`), Redis's `NOTIFY_ALL`.
    package static let all: Self = [
        .generic, .string, .list, .set, .hash, .sortedSet, .expired, .evicted, .stream, .module,
    ]

    /// The classes a `notify-keyspace-events` value names (Redis's `keyspaceEventsStringToFlags`):
    /// `nil` when a character is none of `Ag$lshzxeKEtmdn`. As in Redis (a C string), reading
    /// stops at a NUL byte.
    package init?(flags: some Sequence<UInt8>) {
        var classes: Self = []
        for character in flags {
            switch character {
            case 0: self = classes; return
            case UInt8(ascii: "A"): classes.formUnion(.all)
            case UInt8(ascii: "g"): classes.insert(.generic)
            case UInt8(ascii: "$"): classes.insert(.string)
            case UInt8(ascii: "l"): classes.insert(.list)
            case UInt8(ascii: "s"): classes.insert(.set)
            case UInt8(ascii: "h"): classes.insert(.hash)
            case UInt8(ascii: "z"): classes.insert(.sortedSet)
            case UInt8(ascii: "x"): classes.insert(.expired)
            case UInt8(ascii: "e"): classes.insert(.evicted)
            case UInt8(ascii: "K"): classes.insert(.keyspace)
            case UInt8(ascii: "E"): classes.insert(.keyevent)
            case UInt8(ascii: "t"): classes.insert(.stream)
            case UInt8(ascii: "m"): classes.insert(.keyMiss)
            case UInt8(ascii: "d"): classes.insert(.module)
            case UInt8(ascii: "n"): classes.insert(.new)
            default: return nil
            }
        }
        self = classes
    }

    /// The canonical text CONFIG GET prints (Redis 7.0's `keyspaceEventsFlagsToString`): `A`
    /// when every class of `A` is on, else each class in Redis's order; then `K`, `E`, `m`.
    /// Like Redis 7.0, `n` is printed only without `A` (so "KEAn" reads back as "AKE").
    package var flagString: String {
        var text = ""
        if isSuperset(of: .all) {
            text = "A"
        } else {
            let classes: [(Self, Character)] = [
                (.generic, "g"), (.string, "$"), (.list, "l"), (.set, "s"), (.hash, "h"), (.sortedSet, "z"),
                (.expired, "x"), (.evicted, "e"), (.stream, "t"), (.module, "d"), (.new, "n"),
            ]
            for (flag, character) in classes where contains(flag) { text.append(character) }
        }
        if contains(.keyspace) { text.append("K") }
        if contains(.keyevent) { text.append("E") }
        if contains(.keyMiss) { text.append("m") }
        return text
    }
}
