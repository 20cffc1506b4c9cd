import NIOCore
package import SidecacheRESP

extension RESPValue {
    /// An unambiguous byte encoding of the value: equal encodings mean identical replies
    /// (same RESP types all the way down, same bytes, doubles equal bit for bit with every NaN
    /// alike). Used for exact comparison and as the sort key of unordered comparison.
    package var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        appendCanonical(to: &out)
        return out
    }

    private func appendCanonical(to out: inout [UInt8]) {
        func tag(_ character: Character) { out.append(character.asciiValue!) }
        func word(_ value: UInt64) {
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
        }
        func length(_ count: Int) { word(UInt64(count)) }
        func bytes(_ buffer: ByteBuffer) {
            length(buffer.readableBytes)
            out.append(contentsOf: buffer.readableBytesView)
        }
        func aggregate(_ elements: [RESPValue]) {
            length(elements.count)
            for element in elements { element.appendCanonical(to: &out) }
        }
        switch self {
        case .simpleString(let buffer):
            tag("+")
            bytes(buffer)
        case .simpleError(let buffer):
            tag("-")
            bytes(buffer)
        case .integer(let value):
            tag(":")
            word(UInt64(bitPattern: value))
        case .bulkString(.some(let buffer)):
            tag("$")
            bytes(buffer)
        case .bulkString(.none): tag("N")
        case .array(.some(let elements)):
            tag("*")
            aggregate(elements)
        case .array(.none): tag("M")
        case .null: tag("_")
        case .double(let value):
            tag(",")
            word(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
        case .boolean(let value):
            tag("#")
            out.append(value ? 1 : 0)
        case .bigNumber(let buffer):
            tag("(")
            bytes(buffer)
        case .blobError(let buffer):
            tag("!")
            bytes(buffer)
        case .verbatimString(let format, let text):
            tag("=")
            bytes(format)
            bytes(text)
        case .map(let elements):
            tag("%")
            aggregate(elements)
        case .set(let elements):
            tag("~")
            aggregate(elements)
        case .attribute(let attributes, let value):
            tag("|")
            aggregate(attributes)
            value.appendCanonical(to: &out)
        case .push(let elements):
            tag(">")
            aggregate(elements)
        }
    }

    /// Whether the two values are the same reply (see `canonicalBytes`).
    package func isIdentical(to other: RESPValue) -> Bool {
        canonicalBytes == other.canonicalBytes
    }
}
