/// The sliding noise window of one grouping key that has no group yet (spec §4).
package struct NoiseWindow {
    package let id: Int64
    /// Increases each time a gap longer than the expiry starts a new window; held rows carry it.
    package private(set) var window: Int64
    package private(set) var windowCount: Int
    package private(set) var lastTime: Double?
    package var groupID: Int64?

    package init(id: Int64, window: Int64, windowCount: Int, lastTime: Double?, groupID: Int64?) {
        self.id = id
        self.window = window
        self.windowCount = windowCount
        self.lastTime = lastTime
        self.groupID = groupID
    }

    /// Counts one occurrence. A gap longer than `expiry` since the latest one starts a new window;
    /// an occurrence older than the latest (out of order) has no gap.
    mutating func count(_ time: Double, expiry: Double) {
        if let lastTime, time - lastTime > expiry {
            window += 1
            windowCount = 0
        }
        windowCount += 1
        lastTime = max(lastTime ?? time, time)
    }
}
