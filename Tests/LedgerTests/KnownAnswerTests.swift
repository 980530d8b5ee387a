import Ledger
import RubricEngine
import Testing
import ZwgkFormats

/// The canonical record text and the hash-chain formulas against literal answers computed outside zwgk
/// (Python's hashlib over the texts written out by hand from the formulas in Chain.swift and Record.swift),
/// so a change to either is caught even when the code and its other tests change together. These values are
/// in every ledger and manifest written so far: they must never change.
@Suite(.timeLimit(.minutes(10))) struct KnownAnswers {
    static let finding = Record.finding(
        Finding(
            id: "wsjc-2023-017", year: 2023, date: Day("2023-05-12")!, unit: "市财政局", indicator: "财政预决算",
            points: Points(exactly: "1.5"), method: "网上检查", note: "说明\"一\"\n二"))
    static let notice = Record.notice(
        Notice(
            id: "运政办通〔2023〕12号", year: 2023, date: Day("2023-04-10")!, level: "quarterly", units: ["市财政局", "城东街道"],
            title: "二季度检查通报"))

    @Test func canonicalTextAndItsHash() {
        #expect(
            Self.finding.canonicalText
                == #"{"type":"finding","id":"wsjc-2023-017","year":2023,"date":"2023-05-12","unit":"市财政局","indicator":"财政预决算","count":1,"points":1.5,"method":"网上检查","note":"说明\"一\"\n二"}"#
        )
        #expect(ContentHash.hex(Self.finding.canonicalText) == "1b37d7e7eb981c1bbc167edde2c92c83a07b13b790aa7822ae0af6f982031084")
        #expect(
            Self.notice.canonicalText
                == #"{"type":"notice","id":"运政办通〔2023〕12号","year":2023,"date":"2023-04-10","level":"quarterly","units":["市财政局","城东街道"],"title":"二季度检查通报"}"#)
        #expect(ContentHash.hex(Self.notice.canonicalText) == "ec0b04f2fb7ae18f54be8374b5b9d4350a5024b80dfdcb8a54d3c073bb338446")
    }

    @Test func recordChainLinks() {
        let first = Chain.link(
            previous: "", seq: 1, year: 2023, id: "wsjc-2023-017",
            sha256: ContentHash.hex(Self.finding.canonicalText),
            origin: .init(file: "a.json", fileSHA256: String(repeating: "0", count: 64)))
        #expect(first == "0ad08f2c249a32e152b8f7a8efa234a517543ad244a202d850c9956ea613325a")
        let second = Chain.link(
            previous: first, seq: 3, year: 2023, id: "运政办通〔2023〕12号",
            sha256: ContentHash.hex(Self.notice.canonicalText),
            origin: .init(file: "8月检查.xlsx", fileSHA256: String(repeating: "1", count: 64), source: "通报!2"))
        #expect(second == "05b428ba6a5e3b4c41d4175cb982e3d9f61d206842a642bbb68bdec7d93970bc")
    }

    @Test func approvalChainLink() {
        let approval = Approval(
            id: 1, year: 2023, period: "2023-annual", action: .approve, by: "张三", note: "常务会议",
            at: "2024-01-20T02:00:00.000Z",
            chainHead: "05b428ba6a5e3b4c41d4175cb982e3d9f61d206842a642bbb68bdec7d93970bc", lastSeq: 3, records: 2)
        #expect(Chain.link(previous: "", approval) == "2aa38074db47a387e877b13e221828bbb60f6f61f56a1fd3ff01b12966cc31ae")
    }
}
