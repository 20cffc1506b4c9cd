import SidecacheEngine
import Testing

/// The list structure against a plain array of elements: node layout, encodings, and every
/// mutation, for several fill settings (small ones force many nodes, splits and merges).
@Suite struct ListValueTests {
    static let fills = [-2, -1, 1, 3, 0]

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func push(_ list: ListValue, _ element: [UInt8], atHead: Bool = false, fill: ListFill = ListFill(-2)) {
        element.withUnsafeBytes { list.push($0, atHead: atHead, fill: fill) }
    }

    /// Checks the elements and that no node is empty and the counts add up.
    static func expectMatches(_ list: ListValue, _ model: [[UInt8]], _ comment: Comment? = nil) {
        #expect(list.count == model.count, comment)
        #expect(list.elements == model, comment)
        #expect(!list.nodeEntryCounts.contains(0), comment)
        #expect(list.nodeEntryCounts.reduce(0, +) == list.count, comment)
    }

    @Test func elementsOfEveryEncodingReadBackAsPushed() {
        let integers: [Int64] = [
            0, 1, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 8_388_607, -8_388_608, 8_388_608,
            2_147_483_647, -2_147_483_648, 2_147_483_648, .max, .min,
        ]
        var model = integers.map { Self.bytes(String($0)) }
        // Text that looks numeric but is not canonical stays text.
        model += ["01", "-0", "+1", " 1", "1 ", "9223372036854775808", "1.5", ""].map(Self.bytes)
        model += [63, 64, 4095, 4096, 70_000].map { [UInt8](repeating: UInt8(ascii: "x"), count: $0) }
        model.append([0, 255, 13, 10])
        let list = ListValue()
        for element in model { Self.push(list, element) }
        Self.expectMatches(list, model)
        for (index, element) in model.enumerated() {
            #expect(list.withElement(at: index) { $0.bytes } == element)
        }
        #expect(list.encodingName.description == "quicklist")
    }

    @Test func countFillBoundsNodesAndLargeElementsGetTheirOwn() {
        let list = ListValue()
        let fill = ListFill(4)
        for index in 0..<10 { Self.push(list, Self.bytes("e\(index)"), fill: fill) }
        #expect(list.nodeEntryCounts == [4, 4, 2])
        Self.push(list, Self.bytes("h"), atHead: true, fill: fill)
        #expect(list.nodeEntryCounts == [1, 4, 4, 2])
        // An element past the 8 KiB safety limit never shares a node.
        let big = [UInt8](repeating: 7, count: 9000)
        Self.push(list, big, fill: fill)
        Self.push(list, Self.bytes("after"), fill: fill)
        #expect(list.nodeEntryCounts == [1, 4, 4, 2, 1, 1])
    }

    @Test func sizeFillBoundsNodeBytes() {
        let list = ListValue()
        let element = [UInt8](repeating: UInt8(ascii: "v"), count: 100)  // 103 bytes per entry
        for _ in 0..<200 { Self.push(list, element, fill: ListFill(-1)) }
        // 4096-byte listpacks: a node of n entries takes the next one while 7 + 103n + 100 + 3 <= 4096.
        #expect(list.nodeEntryCounts == [39, 39, 39, 39, 39, 5])
        #expect(ListFill(-9).setting == -5 && ListFill(100_000).setting == 32767)
    }

    @Test func insertingIntoAFullNodeSplitsItAndNeighboursMerge() {
        let list = ListValue()
        let fill = ListFill(4)
        var model: [[UInt8]] = []
        for index in 0..<8 {
            Self.push(list, Self.bytes("e\(index)"), fill: fill)
            model.append(Self.bytes("e\(index)"))
        }
        #expect(list.nodeEntryCounts == [4, 4])
        // Before e2: the middle of the full first node.
        let inserted = Self.bytes("e2").withUnsafeBytes { pivot in
            Self.bytes("new").withUnsafeBytes { list.insert($0, after: false, pivot: ListNeedle(pivot), fill: fill) }
        }
        #expect(inserted)
        model.insert(Self.bytes("new"), at: 2)
        Self.expectMatches(list, model)
        #expect(list.nodeEntryCounts == [3, 2, 4])
        // After the last element of a full node whose successor has room: the successor's head.
        let list2 = ListValue()
        for element in ["a", "b", "c", "d", "e"] { Self.push(list2, Self.bytes(element), fill: fill) }
        _ = Self.bytes("d").withUnsafeBytes { pivot in
            Self.bytes("x").withUnsafeBytes { list2.insert($0, after: true, pivot: ListNeedle(pivot), fill: fill) }
        }
        Self.expectMatches(list2, ["a", "b", "c", "d", "x", "e"].map(Self.bytes))
        #expect(list2.nodeEntryCounts == [4, 2])
        // A missing pivot changes nothing.
        let found = Self.bytes("zz").withUnsafeBytes { pivot in
            Self.bytes("x").withUnsafeBytes { list2.insert($0, after: true, pivot: ListNeedle(pivot), fill: fill) }
        }
        #expect(!found && list2.count == 6)
    }

    /// Random operations on the list and on an array, compared after each step.
    @Test(arguments: fills)
    func randomOperationsMatchAnArray(fill setting: Int) {
        let fill = ListFill(setting)
        var random = SplitMix(seed: UInt64(bitPattern: Int64(setting)) &+ 42)
        let list = ListValue()
        var model: [[UInt8]] = []
        let pool: [[UInt8]] = ["a", "bb", "7", "-3", "300", "x"].map(Self.bytes) + [[UInt8](repeating: 1, count: 200)]
        for step in 0..<2500 {
            let element = pool[Int(random.next() % UInt64(pool.count))]
            switch random.next() % 9 {
            case 0, 1:
                Self.push(list, element, atHead: true, fill: fill)
                model.insert(element, at: 0)
            case 2, 3:
                Self.push(list, element, fill: fill)
                model.append(element)
            case 4 where !model.isEmpty:
                let start = Int(random.next() % UInt64(model.count))
                let length = Int(random.next() % UInt64(model.count - start + 1))
                list.removeRange(start: start, length: length)
                model.removeSubrange(start..<start + length)
            case 5 where !model.isEmpty:
                let index = Int(random.next() % UInt64(model.count))
                element.withUnsafeBytes { list.replace(at: index, with: $0, fill: fill) }
                model[index] = element
            case 6:
                let limit = Int(random.next() % 3)
                let fromTail = random.next() % 2 == 0
                let removed = element.withUnsafeBytes { list.removeAll(matching: ListNeedle($0), limit: limit, fromTail: fromTail) }
                var expected = 0
                var indexes = Array(model.indices)
                if fromTail { indexes.reverse() }
                var doomed: [Int] = []
                for index in indexes where model[index] == element && (limit == 0 || expected < limit) {
                    doomed.append(index)
                    expected += 1
                }
                for index in doomed.sorted(by: >) { model.remove(at: index) }
                #expect(removed == expected)
            case 7 where !model.isEmpty:
                let pivot = model[Int(random.next() % UInt64(model.count))]
                let after = random.next() % 2 == 0
                let inserted = pivot.withUnsafeBytes { pivotBytes in
                    element.withUnsafeBytes { list.insert($0, after: after, pivot: ListNeedle(pivotBytes), fill: fill) }
                }
                #expect(inserted)
                let position = model.firstIndex(of: pivot)!
                model.insert(element, at: after ? position + 1 : position)
            default:
                if let index = list.normalizedIndex(-1) {
                    #expect(list.withElement(at: index) { $0.bytes } == model.last)
                }
            }
            if step % 50 == 0 || step > 2400 { Self.expectMatches(list, model, "fill \(setting), step \(step)") }
        }
        Self.expectMatches(list, model)
        var reversed: [[UInt8]] = []
        list.forEach(from: list.count - 1, reverse: true) { element in
            reversed.append(element.bytes)
            return true
        }
        #expect(reversed == model.reversed())
    }

    @Test func copyRestoreAndDumpAreIndependent() {
        var limits = EncodingLimits()
        limits.listMaxListpackSize = 2
        let elements = (0..<9).map { Self.bytes("v\($0)") }
        let restored = ListValue(restoring: elements, limits: limits)
        #expect(restored.nodeEntryCounts == [2, 2, 2, 2, 1])
        #expect(restored.dumpValue == .list(elements))
        let duplicate = restored.copy()
        Self.push(duplicate, Self.bytes("extra"), fill: ListFill(limits))
        #expect(restored.elements == elements)
        #expect(duplicate.elements == elements + [Self.bytes("extra")])
        #expect(restored.estimatedMemoryUsage == restored.estimatedMemoryUsage && restored.estimatedMemoryUsage > 64)
        #expect(duplicate.estimatedMemoryUsage >= restored.estimatedMemoryUsage)
    }

    @Test func normalizedIndexes() {
        let list = ListValue(restoring: [[1], [2], [3]], limits: EncodingLimits())
        #expect(list.normalizedIndex(0) == 0 && list.normalizedIndex(-1) == 2 && list.normalizedIndex(-3) == 0)
        #expect(list.normalizedIndex(3) == nil && list.normalizedIndex(-4) == nil)
        #expect(list.normalizedIndex(.min) == nil && list.normalizedIndex(.max) == nil)
    }
}

/// A small seeded generator, so that a failing sequence repeats.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
