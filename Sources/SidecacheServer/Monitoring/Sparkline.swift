/// ASCII sparklines as Redis's `sparkline.c` draws them (LATENCY GRAPH): each sample a column
/// of `rows` lines, three steps per line (`_-``, or `_o#` filled with `|` below), its label
/// written downwards under it after a blank line.
struct Sparkline {
    private var samples: [(value: Double, label: [UInt8]?)] = []
    private var minimum = 0.0
    private var maximum = 0.0
    private var labels = 0

    private static let characters = Array("_-`".utf8)
    private static let filledCharacters = Array("_o#".utf8)

    mutating func add(_ value: Double, label: String?) {
        if samples.isEmpty {
            minimum = value
            maximum = value
        } else if value < minimum {
            minimum = value
        } else if value > maximum {
            maximum = value
        }
        let bytes = label.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        if bytes != nil { labels += 1 }
        samples.append((value, bytes))
    }

    /// Redis's `sparklineRender`: the samples in blocks of `columns`, separated by a blank line.
    func render(columns: Int, rows: Int, fill: Bool) -> String {
        var output: [UInt8] = []
        var start = 0
        while start < samples.count {
            if start != 0 { output.append(UInt8(ascii: "\n")) }
            renderRange(into: &output, offset: start, length: min(columns, samples.count - start), rows: rows, fill: fill)
            start += columns
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Redis's `sparklineRenderRange` (linear scale).
    private func renderRange(into output: inout [UInt8], offset: Int, length: Int, rows: Int, fill: Bool) {
        let span = maximum - minimum == 0 ? 1 : maximum - minimum
        let charactersCount = Self.characters.count
        let steps = charactersCount * rows
        var row = 0
        while true {
            var more = false
            var line = [UInt8](repeating: UInt8(ascii: " "), count: length)
            for column in 0..<length {
                let sample = samples[column + offset]
                var step = Int(Double(Int((sample.value - minimum) * Double(steps))) / span)
                step = max(0, min(step, steps - 1))
                if row < rows {
                    more = true
                    let index = step - (rows - row - 1) * charactersCount
                    if index >= 0 && index < charactersCount {
                        line[column] = fill ? Self.filledCharacters[index] : Self.characters[index]
                    } else if fill && index >= charactersCount {
                        line[column] = UInt8(ascii: "|")
                    }
                } else {
                    // One blank line between the sparkline and the labels.
                    if labels > 0 && row - rows < 1 {
                        more = true
                        break
                    }
                    if let label = sample.label, label.count > row - rows - 1 {
                        more = true
                        line[column] = label[row - rows - 1]
                    }
                }
            }
            guard more else { return }
            row += 1
            output += line
            output.append(UInt8(ascii: "\n"))
        }
    }
}
