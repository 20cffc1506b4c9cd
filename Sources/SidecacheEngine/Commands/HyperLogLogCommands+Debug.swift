import NIOCore
import SidecacheRESP

extension HyperLogLogCommands {
    /// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
    ///
    /// Redis's checks in order: the key must exist ("The specified key does not exist") and
    /// be an HLL, whatever the subcommand; the value is then made `raw`. GETREG and TODENSE
    /// turn a sparse HLL dense (counted as a change, as Redis forces its propagation, but
    /// not signalled to watchers). The command table fixes the arity at 3.
    static func pfdebug(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(2) { key in
            guard let entry = db.lookupWrite(key) else {
                client.replyError("ERR The specified key does not exist")
                return
            }
            guard isHLL(entry, client) else { return }
            var bytes = db.takeRawBytes(entry)
            defer { db.replaceValue(of: entry, with: .raw(bytes)) }
            if frame.argument(1, equalsCaseInsensitive: "getreg") {
                if bytes[4] == HyperLogLog.sparseEncoding {
                    guard HyperLogLog.Sparse.toDense(&bytes) else {
                        client.replyError(HyperLogLog.corruptedError)
                        return
                    }
                    db.keyspace.statistics.changes += 1
                }
                client.out.writeRESPArrayHeader(HyperLogLog.registerCount)
                bytes.withUnsafeBytes { dense in
                    for register in 0..<HyperLogLog.registerCount {
                        client.replyInteger(HyperLogLog.Dense.get(dense, register: register))
                    }
                }
            } else if frame.argument(1, equalsCaseInsensitive: "decode") {
                guard bytes[4] == HyperLogLog.sparseEncoding else {
                    client.replyError("ERR HLL encoding is not sparse")
                    return
                }
                client.out.writeRESPBulkString(decodedOpcodes(bytes))
            } else if frame.argument(1, equalsCaseInsensitive: "encoding") {
                if bytes[4] == HyperLogLog.denseEncoding {
                    client.out.writeRESPSimpleString("dense")
                } else {
                    client.out.writeRESPSimpleString("sparse")
                }
            } else if frame.argument(1, equalsCaseInsensitive: "todense") {
                var converted = false
                if bytes[4] == HyperLogLog.sparseEncoding {
                    guard HyperLogLog.Sparse.toDense(&bytes) else {
                        client.replyError(HyperLogLog.corruptedError)
                        return
                    }
                    converted = true
                    db.keyspace.statistics.changes += 1
                }
                client.replyInteger(converted ? 1 : 0)
            } else {
                // Redis formats the subcommand as a C string: it ends at a zero byte.
                let name = frame.bytes(1).prefix { $0 != 0 }
                client.replyError(bytes: Array("ERR Unknown PFDEBUG subcommand '".utf8) + name + [UInt8(ascii: "'")])
            }
        }
    }

    /// PFDEBUG DECODE's text: `z:N` (ZERO), `Z:N` (XZERO), `v:V,N` (VAL), space-separated.
    private static func decodedOpcodes(_ bytes: [UInt8]) -> [UInt8] {
        var text = ""
        bytes.withUnsafeBytes { sparse in
            var offset = HyperLogLog.headerSize
            while offset < sparse.count {
                let op = HyperLogLog.Sparse.opcode(sparse, at: offset)
                if op.value > 0 {
                    text += "v:\(op.value),\(op.length) "
                } else {
                    text += op.size == 1 ? "z:\(op.length) " : "Z:\(op.length) "
                }
                offset += op.size
            }
        }
        if text.hasSuffix(" ") { text.removeLast() }
        return Array(text.utf8)
    }
}
