/// Redis's quicklist fill rules (`list-max-listpack-size`, `quicklist.c`): how many entries
/// or bytes one node may hold. A negative setting bounds a node's listpack size (-1: 4 KiB …
/// -5: 64 KiB), a positive one its number of entries (and 8 KiB as a safety limit). Settings
/// are clamped to -5…32767 as `quicklistSetFill` does.
package struct ListFill: Sendable, Equatable {
    package let setting: Int

    static let sizeLevels = [4096, 8192, 16384, 32768, 65536]
    /// `SIZE_SAFETY_LIMIT`: the most bytes a count-bounded node may hold.
    static let safetyLimit = 8192

    package init(_ setting: Int) {
        self.setting = min(max(setting, -5), 32767)
    }

    package init(_ limits: EncodingLimits) {
        self.init(limits.listMaxListpackSize)
    }

    /// `_quicklistNodeAllowInsert`: whether an element of `length` bytes may join `node`.
    /// Like Redis, it counts the element as a string even when it will be stored as an integer.
    func allowsInsert(into node: ListNode, elementLength length: Int) -> Bool {
        guard !node.isEmpty else { return false }
        var overhead = length < 254 ? 1 : 5
        overhead += length < 64 ? 1 : length < 16384 ? 2 : 5
        return allows(size: node.listpackSize + length + overhead, entries: node.entries + 1)
    }

    /// `_quicklistNodeAllowMerge`: whether two neighbours fit in one node.
    func allowsMerge(_ a: ListNode, _ b: ListNode) -> Bool {
        allows(size: a.listpackSize + b.listpackSize - ListNode.listpackOverhead, entries: a.entries + b.entries)
    }

    /// Whether a node of `size` listpack bytes and `entries` entries keeps to the rules.
    func allows(size: Int, entries: Int) -> Bool {
        if setting < 0 { return size <= Self.sizeLevels[-setting - 1] }
        return size <= Self.safetyLimit && entries <= setting
    }

    /// The most entry bytes a node grows its allocation to ahead of need.
    var nodeByteLimit: Int {
        (setting < 0 ? Self.sizeLevels[-setting - 1] : Self.safetyLimit) - ListNode.listpackOverhead
    }
}
