public import Foundation
import RubricEngine

#if canImport(Glibc)
import Glibc
#endif

/// ISO 8601 UTC timestamps with milliseconds, for the ledger.
public enum Timestamp {
    /// Reads back what `iso` wrote.
    public static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count == 24, u[10] == UInt8(ascii: "T"), u[23] == UInt8(ascii: "Z"),
            let day = Day(String(decoding: u[0..<10], as: UTF8.self)),
            let h = Int(String(decoding: u[11..<13], as: UTF8.self)), let m = Int(String(decoding: u[14..<16], as: UTF8.self)),
            let s = Int(String(decoding: u[17..<19], as: UTF8.self)), let ms = Int(String(decoding: u[20..<23], as: UTF8.self))
        else { return nil }
        var t = tm()
        t.tm_year = Int32(day.year - 1900)
        t.tm_mon = Int32(day.month - 1)
        t.tm_mday = Int32(day.day)
        t.tm_hour = Int32(h)
        t.tm_min = Int32(m)
        t.tm_sec = Int32(s)
        return Date(timeIntervalSince1970: Double(timegm(&t)) + Double(ms) / 1000)
    }

    public static func iso(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        let ms = Int((date.timeIntervalSince1970 - Double(t)) * 1000)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return
            "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ms), 3))Z"
    }
}
