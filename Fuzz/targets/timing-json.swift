import EarshotKit

/// The JSON timing formats: `JSONDocument`, `WhisperJSONParser` (WhisperX segments, flat word
/// lists) and `TextGridJSONParser` (TextGrids saved as JSON), and the timing checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    TimingFuzzing.check(Array(UnsafeBufferPointer(start: data, count: size)), name: "fuzz.json")
    return 0
}
