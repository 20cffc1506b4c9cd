extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws `DumpPayloadError` (`rethrows` erases the type).
    func withPayloadBytes<R>(
        _ body: (UnsafeRawBufferPointer) throws(DumpPayloadError) -> R
    ) throws(DumpPayloadError) -> R {
        let result = withUnsafeBytes { raw in
            Result { () throws(DumpPayloadError) -> R in try body(raw) }
        }
        return try result.get()
    }
}
