import Foundation

/// `--record FILE`: what the monitor played, written by its own thread from the engine's record
/// ring (the audio thread only copies into the ring), as a 48 kHz stereo float WAV in monitor
/// units — the same calibration as `earshot render` writes.
public final class MonitorRecording: @unchecked Sendable {
    public let path: String
    private let ring: SampleRing
    private let writer: AudioFileWriter
    private let lock = NSLock()
    private var running = true
    private var started = false
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?
    public private(set) var framesWritten = 0

    public init(engine: MonitorEngine, path: String) throws {
        guard let ring = engine.recordRing else { preconditionFailure("the engine was made without a record ring") }
        self.path = path
        self.ring = ring
        writer = try AudioFileWriter(path: path, sampleRate: AudioSource.processingRate, channels: 2, format: .float32)
    }

    public func start() {
        started = true
        let thread = Thread { [self] in run() }
        thread.name = "earshot record"
        thread.start()
    }

    /// Writes what is left and closes the file; throws what went wrong while writing.
    public func finish() throws {
        lock.lock(); running = false; lock.unlock()
        if started { done.wait() }
        if let failure { throw failure }
        try writer.finish()
    }

    private func run() {
        defer { done.signal() }
        let chunk = 8192
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 2 * chunk)
        defer { buffer.deallocate() }
        while true {
            lock.lock(); let keepGoing = running; lock.unlock()
            while true {
                let got = ring.read(into: buffer, count: 2 * chunk) / 2
                if got == 0 { break }
                var block = StereoBlock(frames: got)
                for i in 0..<got { block.left[i] = buffer[2 * i]; block.right[i] = buffer[2 * i + 1] }
                do { try writer.write(block) } catch { failure = error; return }
                framesWritten += got
            }
            if !keepGoing { return }
            usleep(50_000)
        }
    }
}
