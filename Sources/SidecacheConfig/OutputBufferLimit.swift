/// One client class's `client-output-buffer-limit`: a client whose pending output passes `hardBytes`,
/// or stays above `softBytes` for more than `softSeconds`, is disconnected. 0 turns a limit off.
public struct OutputBufferLimit: Sendable, Equatable {
    public var hardBytes: Int
    public var softBytes: Int
    public var softSeconds: Int

    public init(hardBytes: Int, softBytes: Int, softSeconds: Int) {
        self.hardBytes = hardBytes
        self.softBytes = softBytes
        self.softSeconds = softSeconds
    }

    /// Reads Redis's three words `hard soft soft_seconds` (sizes with redis.conf units); nil when
    /// there are not exactly three, a size is not a size or the seconds are not a non-negative integer.
    public init?(parsing text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count == 3 else { return nil }
        self.init(words: words[...])
    }

    /// The three words `hard soft soft_seconds`, as Redis's `updateClientOutputBufferLimit` checks them.
    public init?(words: ArraySlice<String>) {
        guard words.count == 3,
            let hard = ConfigValueParser.memory(words[words.startIndex]),
            let soft = ConfigValueParser.memory(words[words.startIndex + 1]),
            let seconds = Int(words[words.startIndex + 2]), seconds >= 0
        else { return nil }
        self.init(hardBytes: hard, softBytes: soft, softSeconds: seconds)
    }

    /// Whether either limit applies: a class with `0 0 0` costs nothing to check.
    public var isEnabled: Bool { hardBytes > 0 || softBytes > 0 }

    /// `hard soft seconds` in bytes, as CONFIG GET prints each class.
    public var redisText: String { "\(hardBytes) \(softBytes) \(softSeconds)" }
}

/// The three client classes Redis limits separately (`normal`, `replica`, `pubsub`), with Redis's defaults.
public struct ClientOutputBufferLimits: Sendable, Equatable {
    public var normal = OutputBufferLimit(hardBytes: 0, softBytes: 0, softSeconds: 0)
    public var replica = OutputBufferLimit(hardBytes: 256 << 20, softBytes: 64 << 20, softSeconds: 60)
    public var pubsub = OutputBufferLimit(hardBytes: 32 << 20, softBytes: 8 << 20, softSeconds: 60)

    public init() {}

    /// CONFIG GET's value: `normal h s t slave h s t pubsub h s t`.
    public var redisText: String {
        "normal \(normal.redisText) slave \(replica.redisText) pubsub \(pubsub.redisText)"
    }

    /// Applies CONFIG SET's value: groups of `class hard soft seconds`, classes `normal`, `replica`
    /// (or `slave`) and `pubsub` in any case; classes not named keep their limits. All or nothing:
    /// returns Redis's reason text and changes nothing when any group is bad.
    public mutating func apply(redisText text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count % 4 == 0 else { return "Wrong number of arguments in buffer limit configuration." }
        var updated = self
        for start in stride(from: 0, to: words.count, by: 4) {
            let limitKey: WritableKeyPath<Self, OutputBufferLimit>
            switch words[start].lowercased() {
            case "normal": limitKey = \.normal
            case "replica", "slave": limitKey = \.replica
            case "pubsub": limitKey = \.pubsub
            default: return "Invalid client class specified in buffer limit configuration."
            }
            guard let limit = OutputBufferLimit(words: words[(start + 1)...(start + 3)]) else {
                return "Error in hard, soft or soft_seconds setting in buffer limit configuration."
            }
            updated[keyPath: limitKey] = limit
        }
        self = updated
        return nil
    }
}
