import NIOCore
import SidecacheRESP

extension BloomCommands {
    /// BF.EXISTS key item, BF.MEXISTS key item [item ...]: 1 when the item may have been
    /// added, 0 when it was not. A missing key, or one of another type, answers 0 for every
    /// item (RedisBloom does not report the wrong type here).
    static func exists(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            let filter = db.lookupRead(key)?.value.bloom
            if frame.argument(0, equalsCaseInsensitive: "bf.mexists") {
                client.out.writeRESPArrayHeader(frame.count - 2)
            }
            for index in 2..<frame.count {
                let found = filter.map { filter in frame.withArgument(index) { filter.contains($0) } } ?? false
                client.replyInteger(found ? 1 : 0)
            }
        }
    }

    /// BF.INFO key [CAPACITY | SIZE | FILTERS | ITEMS | EXPANSION]
    ///
    /// Without a field, a map (a flat array in RESP2) of Capacity, Size, Number of filters,
    /// Number of items inserted and Expansion rate (null for a non-scaling filter); with one,
    /// a one-element array of that value.
    static func info(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard frame.count <= 3 else {
            client.replyError("ERR wrong number of arguments for 'bf.info' command")
            return
        }
        let lookedUp: BloomFilterValue? = frame.withArgument(1) { key in
            guard let entry = db.lookupRead(key) else {
                client.replyError(Errors.notFound)
                return nil
            }
            guard let filter = entry.value.bloom else {
                client.replyWrongType()
                return nil
            }
            return filter
        }
        guard let filter = lookedUp else { return }
        if frame.count == 2 {
            client.out.writeRESPMapHeader(InfoField.allCases.count, client.protocolVersion)
            for field in InfoField.allCases {
                client.out.writeRESPSimpleString(field.title)
                reply(field, of: filter, client)
            }
            return
        }
        guard let field = InfoField.allCases.first(where: { frame.argument(2, equalsCaseInsensitive: $0.name) }) else {
            client.replyError(Errors.invalidInfo)
            return
        }
        client.out.writeRESPArrayHeader(1)
        reply(field, of: filter, client)
    }

    /// BF.INFO's fields, in its order.
    enum InfoField: CaseIterable {
        case capacity, size, filters, items, expansion

        /// The word that asks for the field alone.
        var name: StaticString {
            switch self {
            case .capacity: "capacity"
            case .size: "size"
            case .filters: "filters"
            case .items: "items"
            case .expansion: "expansion"
            }
        }

        /// The field's title in the whole reply.
        var title: StaticString {
            switch self {
            case .capacity: "Capacity"
            case .size: "Size"
            case .filters: "Number of filters"
            case .items: "Number of items inserted"
            case .expansion: "Expansion rate"
            }
        }
    }

    private static func reply(_ field: InfoField, of filter: BloomFilterValue, _ client: EngineClient) {
        switch field {
        case .capacity: client.replyInteger(Int(truncatingIfNeeded: filter.capacity))
        case .size: client.replyInteger(filter.memoryUsage)
        case .filters: client.replyInteger(filter.layers.count)
        case .items: client.replyInteger(Int(truncatingIfNeeded: filter.count))
        case .expansion:
            if filter.isScaling {
                client.replyInteger(Int(filter.expansion))
            } else {
                client.replyNull()
            }
        }
    }

    /// BF.CARD key: the items added, 0 for a missing key, WRONGTYPE for another type.
    static func card(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupRead(key) else { return client.replyInteger(0) }
            guard let filter = entry.value.bloom else { return client.replyWrongType() }
            client.replyInteger(Int(truncatingIfNeeded: filter.count))
        }
    }
}
