import EarshotKit

/// SubRip and WebVTT: `SubtitleParser`, `CueText`, `LineCuePlacement` and the timing checks.
/// Inputs that start with the WebVTT header are read as .vtt, all others as .srt.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let header = Array("WEBVTT".utf8)
    let isWebVTT = bytes.starts(with: header) || bytes.starts(with: [0xEF, 0xBB, 0xBF] + header)
    TimingFuzzing.check(bytes, name: isWebVTT ? "fuzz.vtt" : "fuzz.srt")
    return 0
}
