/// The reply protocol a client asked for with `HELLO`. Every connection starts in RESP2;
/// RESP3-only reply types are downgraded for RESP2 clients as Redis does.
public enum RESPProtocolVersion: Int, Sendable {
    case resp2 = 2
    case resp3 = 3
}
