/// A fuzz target's `main`: under libFuzzer (`scripts/fuzz` builds with FUZZING) it hands the target
/// to the fuzzer; otherwise it replays the files named on the command line.
public enum FuzzEntry {
    /// libFuzzer calls back through a C function pointer, which cannot capture the target.
    nonisolated(unsafe) private static var target: ([UInt8]) -> Void = { _ in }

    public static func main(_ target: @escaping ([UInt8]) -> Void) {
        #if FUZZING
        Self.target = target
        FuzzDriver.run { data, size in
            FuzzEntry.target(Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
        #else
        FuzzReplay.run(target)
        #endif
    }
}
