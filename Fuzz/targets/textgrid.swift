import EarshotKit

/// Praat TextGrids, long and short text formats, UTF-8 and UTF-16: `TextGridParser`,
/// `TimingFileText` and the timing checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    TimingFuzzing.check(Array(UnsafeBufferPointer(start: data, count: size)), name: "fuzz.TextGrid")
    return 0
}
