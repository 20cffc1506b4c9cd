/// Splitting rule text the way Redis does for ACL rules.
enum ACLArguments {
    /// Redis's `sdssplitargs`: space-separated arguments, with "double quotes" (and their
    /// `\n`, `\xHH` ... escapes) and 'single quotes'; `nil` on unbalanced quotes or a closing
    /// quote not followed by a space.
    static func split(_ line: [UInt8]) -> [[UInt8]]? {
        var arguments: [[UInt8]] = []
        var index = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        while true {
            while index < line.count && isSpace(line[index]) { index += 1 }
            guard index < line.count else { return arguments }
            var current: [UInt8] = []
            var inDouble = false
            var inSingle = false
            var done = false
            while !done {
                if inDouble {
                    guard index < line.count else { return nil }
                    let byte = line[index]
                    if byte == UInt8(ascii: "\\") && index + 3 < line.count && line[index + 1] == UInt8(ascii: "x"),
                        let high = hexValue(line[index + 2]), let low = hexValue(line[index + 3])
                    {
                        current.append(high << 4 | low)
                        index += 3
                    } else if byte == UInt8(ascii: "\\") && index + 1 < line.count {
                        index += 1
                        switch line[index] {
                        case UInt8(ascii: "n"): current.append(0x0A)
                        case UInt8(ascii: "r"): current.append(0x0D)
                        case UInt8(ascii: "t"): current.append(0x09)
                        case UInt8(ascii: "b"): current.append(0x08)
                        case UInt8(ascii: "a"): current.append(0x07)
                        default: current.append(line[index])
                        }
                    } else if byte == UInt8(ascii: "\"") {
                        // The closing quote must be followed by a space or the end.
                        if index + 1 < line.count && !isSpace(line[index + 1]) { return nil }
                        done = true
                    } else {
                        current.append(byte)
                    }
                } else if inSingle {
                    guard index < line.count else { return nil }
                    let byte = line[index]
                    if byte == UInt8(ascii: "\\") && index + 1 < line.count && line[index + 1] == UInt8(ascii: "'") {
                        index += 1
                        current.append(UInt8(ascii: "'"))
                    } else if byte == UInt8(ascii: "'") {
                        if index + 1 < line.count && !isSpace(line[index + 1]) { return nil }
                        done = true
                    } else {
                        current.append(byte)
                    }
                } else {
                    guard index < line.count else { break }
                    switch line[index] {
                    case 0x20, 0x0A, 0x0D, 0x09, 0x00: done = true
                    case UInt8(ascii: "\""): inDouble = true
                    case UInt8(ascii: "'"): inSingle = true
                    default: current.append(line[index])
                    }
                }
                if index < line.count { index += 1 }
            }
            arguments.append(current)
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Redis's `ACLMergeSelectorArguments`: a selector written over several arguments
    /// (`(` ... `)`) becomes one, joined by spaces. On an unclosed selector, the index of the
    /// argument that opened it.
    static func mergeSelectors(_ rules: [[UInt8]]) -> Result<[[UInt8]], UnclosedSelector> {
        var merged: [[UInt8]] = []
        var open: (start: Int, text: [UInt8])?
        for (position, rule) in rules.enumerated() {
            if rule.first == UInt8(ascii: "(") && rule.last != UInt8(ascii: ")") {
                open = (position, rule)
                continue
            }
            if var selector = open {
                selector.text += [0x20] + rule
                if rule.last == UInt8(ascii: ")") {
                    merged.append(selector.text)
                    open = nil
                } else {
                    open = selector
                }
                continue
            }
            merged.append(rule)
        }
        if let open { return .failure(UnclosedSelector(index: open.start)) }
        return .success(merged)
    }

    struct UnclosedSelector: Error {
        let index: Int
    }
}
