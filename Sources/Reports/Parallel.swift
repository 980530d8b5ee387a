import Dispatch

/// A report written as a stream (to a file as it is rendered); `render` gives the same text whole.
public protocol StreamedReport {
    static func write(_ report: ReportContext, to out: inout some TextOutputStream)
}

extension StreamedReport {
    public static func render(_ report: ReportContext) -> String {
        var text = ""
        write(report, to: &text)
        return text
    }
}

/// Renders `items` on every core, a batch at a time, and writes the pieces to `out` in order, each batch
/// while the next is being rendered: the report's unit pages, where nearly all of a large report's text is.
func writeInParallel<T: Sendable>(
    _ items: [T], to out: inout some TextOutputStream, separator: String = "",
    _ render: @escaping @Sendable (T) -> String
) {
    let size = 256
    let ranges = stride(from: 0, to: items.count, by: size).map { $0..<min($0 + size, items.count) }
    // A queue of its own, so that waiting for it below never waits on a busy shared pool; its
    // concurrentPerform runs iterations on that queue's thread too, so it always makes progress.
    let renderer = DispatchQueue(label: "zwgk.report.render")
    func start(_ range: Range<Int>) -> RenderedBatch {
        let batch = RenderedBatch(count: range.count)
        renderer.async {
            DispatchQueue.concurrentPerform(iterations: range.count) { batch.pieces[$0] = render(items[range.lowerBound + $0]) }
            batch.done.signal()
        }
        return batch
    }
    var next = ranges.first.map(start)
    for (k, range) in ranges.enumerated() {
        guard let current = next else { break }
        current.done.wait()
        next = k + 1 < ranges.count ? start(ranges[k + 1]) : nil
        for (i, piece) in current.pieces.enumerated() {
            if range.lowerBound + i > 0 { out.write(separator) }
            out.write(piece)
        }
    }
}

/// Pieces rendered concurrently, each iteration into its own slot; read after `done`.
private final class RenderedBatch: @unchecked Sendable {
    let pieces: UnsafeMutableBufferPointer<String>
    let done = DispatchSemaphore(value: 0)

    init(count: Int) {
        pieces = .allocate(capacity: count)
        pieces.initialize(repeating: "")
    }

    deinit {
        pieces.deinitialize()
        pieces.deallocate()
    }
}
