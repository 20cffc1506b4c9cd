import Yams

/// Converts between positions in a text and libyaml's marks: 1-based lines and columns, columns counted
/// in Unicode scalars, lines ended by "\r\n", "\r", "\n", U+0085, U+2028 or U+2029.
enum TextPosition {
    /// The index of the scalar at `mark`, or nil when the text has no such line or column.
    static func index(of mark: Mark, in scalars: String.UnicodeScalarView) -> String.UnicodeScalarView.Index? {
        var line = 1
        var column = 1
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if line == mark.line && column == mark.column { return index }
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if isLineBreak(scalar) {
                if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" {
                    index = scalars.index(after: index)
                }
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    /// The line and column of the character `offset` characters from the start of `text` (how Yams reports reader
    /// errors), or nil when the text is shorter.
    static func position(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int)? {
        guard let target = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else { return nil }
        let before = text.unicodeScalars[..<target]
        var line = 1
        var column = 1
        var previous: Unicode.Scalar?
        for scalar in before {
            if isLineBreak(scalar) {
                if !(scalar == "\n" && previous == "\r") { line += 1 }
                column = 1
            } else {
                column += 1
            }
            previous = scalar
        }
        return (line, column)
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar)
    }
}
