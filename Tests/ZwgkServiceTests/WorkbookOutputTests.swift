import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

/// What zwgk writes as .xlsx — the template and `scores.xlsx` — read back by openpyxl and by LibreOffice.
@Suite(.timeLimit(.minutes(10))) struct WorkbookOutputs {
    func cells(_ sheet: [String: Any]?) -> [[Any?]] {
        ((sheet?["cells"] as? [[Any]]) ?? []).map { row in row.map { ($0 as? [String: Any])?["v"] } }
    }

    func types(_ sheet: [String: Any]?) -> [[String?]] {
        ((sheet?["cells"] as? [[Any]]) ?? []).map { row in row.map { ($0 as? [String: Any])?["t"] as? String } }
    }

    @Test func theTemplateHasItsSheetsListsAndFormatsAndRoundTrips() throws {
        let box = try Sandbox()
        let path = box.root + "/模板.xlsx"
        let made = try box.zwgk(["template", "--year", "2023", "--output", path])
        #expect(made.status == 0, "\(made.err)")
        #expect(made.out == path + "\n")
        #expect(try box.zwgk(["template", "--output", path]).status == 1, "an existing file is never replaced")

        let dump = try OfficeTools.dump(path)
        #expect((dump["sheets"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["说明", "发现问题", "通报", "撤销", "整改", "复查", "名单"])
        let findings = OfficeTools.sheet(dump, "发现问题")
        #expect(cells(findings).first?.compactMap { $0 as? String } == ["编号", "日期", "单位", "指标", "条款", "次数", "赋分", "分值", "方式", "佐证", "备注", "整改期限"])
        #expect(findings?["freeze"] as? String == "A2")
        #expect((findings?["column_formats"] as? [String: String])?["B"] == "yyyy\\-mm\\-dd")
        #expect((findings?["column_formats"] as? [String: String])?["A"] == "@")
        #expect((findings?["column_formats"] as? [String: String])?["L"] == "yyyy\\-mm\\-dd", "整改期限 is a date")
        let validations = (findings?["validations"] as? [[String: Any]]) ?? []
        #expect(validations.map { $0["sqref"] as? String } == ["C2:C2000", "D2:D2000"])
        #expect(validations.map { $0["formula1"] as? String } == ["'名单'!$A$2:$A$5", "'名单'!$B$2:$B$43"])
        #expect(validations.allSatisfy { $0["type"] as? String == "list" && $0["strict"] as? Bool == true })
        let notices = (OfficeTools.sheet(dump, "通报")?["validations"] as? [[String: Any]]) ?? []
        #expect(notices.map { $0["formula1"] as? String } == ["'名单'!$C$2:$C$3", "'名单'!$A$2:$A$5"])
        #expect(notices.map { $0["strict"] as? Bool } == [true, false], "several units may be named in one notice")
        let rectifications = OfficeTools.sheet(dump, "整改")
        #expect(cells(rectifications).first?.compactMap { $0 as? String } == ["编号", "日期", "整改对象", "单位", "整改措施", "佐证"])
        #expect(
            ((rectifications?["validations"] as? [[String: Any]]) ?? []).map { [$0["sqref"] as? String, $0["formula1"] as? String] }
                == [["D2:D2000", "'名单'!$A$2:$A$5"]])
        let rechecks = OfficeTools.sheet(dump, "复查")
        #expect(cells(rechecks).first?.compactMap { $0 as? String } == ["编号", "日期", "复查对象", "单位", "复查结果", "整改期限", "备注"])
        #expect((rechecks?["column_formats"] as? [String: String])?["B"] == "yyyy\\-mm\\-dd")
        #expect((rechecks?["column_formats"] as? [String: String])?["F"] == "yyyy\\-mm\\-dd")
        let recheckLists = (rechecks?["validations"] as? [[String: Any]]) ?? []
        #expect(
            recheckLists.map { [$0["sqref"] as? String, $0["formula1"] as? String] } == [["D2:D2000", "'名单'!$A$2:$A$5"], ["E2:E2000", "'名单'!$D$2:$D$3"]])
        #expect(recheckLists.allSatisfy { $0["strict"] as? Bool == true }, "one unit, and 通过 or 未通过")
        let lists = cells(OfficeTools.sheet(dump, "名单"))
        #expect(lists.first?.compactMap { $0 as? String } == ["单位", "指标", "级别", "复查结果"])
        #expect(lists.dropFirst().prefix(2).map { $0.count > 3 ? $0[3] as? String : nil } == ["通过", "未通过"])
        #expect(lists.dropFirst().compactMap { $0.first as? String } == ["城东街道", "城西街道", "市财政局", "市发改局"])
        #expect(lists.count == 43, "one row per indicator of the 2023 rubric")
        #expect(lists.dropFirst().compactMap { $0.count > 1 ? $0[1] as? String : nil }.contains("财政预决算"))

        // LibreOffice reads the lists as lists, and the 说明 sheet as text.
        let lo = box.root + "/lo"
        try OfficeTools.soffice(convert: path, to: "xlsx:Calc MS Excel 2007 XML", outdir: lo)
        let loValidations = (OfficeTools.sheet(try OfficeTools.dump(lo + "/模板.xlsx"), "发现问题")?["validations"] as? [[String: Any]]) ?? []
        #expect(loValidations.map { $0["formula1"] as? String } == ["名单!$A$2:$A$5", "名单!$B$2:$B$43"])
        try OfficeTools.soffice(convert: path, to: "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", outdir: lo)
        #expect(try box.read(lo + "/模板-说明.csv").contains("每条记录填一行"))
        #expect(try box.read(lo + "/模板-说明.csv").contains("“复查”表"))
        #expect(try box.read(lo + "/模板-通报.csv").hasPrefix("编号,日期,级别,单位,标题,佐证"))

        // Filled in (openpyxl keeps the lists and formats) and dropped: accepted, scored as the same JSON.
        let spec = box.root + "/fill.json"
        try #"""
        {"sheets": [{"name": "发现问题", "rows": [["wsjc-2023-017", {"date": "2023-05-12"}, "市财政局", "财政预决算", null, null, null, null, "网上检查"]]},
                    {"name": "通报", "rows": [["运政办通〔2023〕12号", {"date": "2023-04-10"}, "季度", "市财政局、城东街道"]]}]}
        """#.write(toFile: spec, atomically: true, encoding: .utf8)
        try OfficeTools.workbook(["fill", path, spec, box.incoming + "/filled.xlsx"])
        let ran = try box.zwgk(["daemon", "--once"])
        #expect(box.names(box.accepted) == ["filled.xlsx"], "\(ran.err)")
        let json = try Sandbox()
        try json.drop("a.json", "[\(goodFinding), \(goodNotice)]")
        try json.zwgk(["daemon", "--once"])
        #expect(try json.totals() == box.totals())
        #expect(try json.sql("SELECT body FROM records ORDER BY id") == box.sql("SELECT body FROM records ORDER BY id"))
    }

    @Test func scoresWorkbookHoldsTheSnapshotsNumbers() throws {
        let box = try Sandbox()
        try OfficeTools.writeWorkbook(SameRecords.workbook(), to: box.incoming + "/8月检查.xlsx")
        let ran = try box.zwgk(["daemon", "--once"])
        #expect(box.names(box.accepted) == ["8月检查.xlsx"], "\(ran.err)")
        let snap = try box.zwgk(["snapshot", "--period", "2023-annual"])
        #expect(snap.status == 0, "\(snap.err)")
        let folder = box.reports + "/2023/annual"

        guard case .object(let manifest) = try JSONReader.parse(try box.read(folder + "/manifest.json")),
            case .object(let sums)? = manifest["files"]
        else {
            Issue.record("bad manifest")
            return
        }
        #expect(try box.read(folder + "/report.html").contains("<td>8月检查.xlsx 发现问题!3</td>"), "the report names each record's source")
        let xlsx = try Data(contentsOf: URL(fileURLWithPath: folder + "/scores.xlsx"))
        #expect(sums["scores.xlsx"] == .string(ContentHash.hex(Array(xlsx))))

        // scores.json's totals and ranks, by unit.
        guard case .object(let doc) = try JSONReader.parse(try box.read(folder + "/scores.json")),
            case .array(let units)? = doc["units"]
        else {
            Issue.record("bad scores.json")
            return
        }
        var expected: [String: (total: Double, rank: Double)] = [:]
        for case .object(let u) in units {
            if case .string(let n)? = u["unit"], case .number(let t)? = u["total"], case .number(let r)? = u["rank"] {
                expected[n] = (Double(t)!, Double(r)!)
            }
        }
        #expect(expected.count == 4)

        // openpyxl: one ranking sheet per class, numbers as numbers, frozen header, widths for Chinese names.
        let dump = try OfficeTools.dump(folder + "/scores.xlsx")
        #expect((dump["sheets"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["A类排名", "B类排名", "扣分明细"])
        var seen = 0
        for name in ["A类排名", "B类排名"] {
            let sheet = OfficeTools.sheet(dump, name)
            #expect(sheet?["freeze"] as? String == "A2")
            #expect(((sheet?["widths"] as? [String: Double])?["B"] ?? 0) >= 10, "四个汉字的单位名需要至少10个字符宽")
            let rows = cells(sheet)
            #expect(rows.first?.prefix(3).compactMap { $0 as? String } == ["排名", "单位", "总分"])
            for (row, kinds) in zip(rows.dropFirst(), types(sheet).dropFirst()) {
                guard let unit = row[1] as? String, let want = expected[unit] else {
                    Issue.record("unknown unit in \(row)")
                    continue
                }
                #expect(kinds[0] == "n" && kinds[2] == "n", "rank and total are numbers")
                #expect(row[2] as? Double == want.total, "\(unit)")
                #expect(row[0] as? Double == want.rank, "\(unit)")
                seen += 1
            }
        }
        #expect(seen == 4)

        // 扣分明细: every deduction counted, with its source; the withdrawn finding and the withdrawn notice's unit are not.
        let details = cells(OfficeTools.sheet(dump, "扣分明细"))
        #expect(details.first?.compactMap { $0 as? String } == ["单位", "类别", "指标", "条款", "日期", "编号", "分值", "方式", "佐证", "问题说明", "来源", "说明"])
        let listed = details.dropFirst().map { "\($0[0] as? String ?? "") \($0[5] as? String ?? "") \($0[6] as? Double ?? 0) \($0[10] as? String ?? "")" }
        #expect(
            Set(listed) == [
                "城东街道 wsjc-2023-018 -2.0 8月检查.xlsx 发现问题!3",
                "城西街道 f-4 -4.0 8月检查.xlsx 发现问题!6",
                "市财政局 运政办通〔2023〕12号 -4.0 8月检查.xlsx 通报!2",
            ], "\(listed)")
        #expect(types(OfficeTools.sheet(dump, "扣分明细")).dropFirst().allSatisfy { $0[4] == "d" && $0[6] == "n" }, "dates as dates, points as numbers")

        // LibreOffice reads the same numbers (each sheet converted to CSV).
        let lo = box.root + "/lo"
        try OfficeTools.soffice(
            convert: folder + "/scores.xlsx", to: "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", outdir: lo)
        var loSeen = 0
        for name in ["A类排名", "B类排名"] {
            for line in try box.read(lo + "/scores-\(name).csv").split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                guard let want = expected[String(f[1])] else {
                    Issue.record("LibreOffice read an unknown unit: \(line)")
                    continue
                }
                #expect(Double(f[2]) == want.total && Double(f[0]) == want.rank, "\(line)")
                loSeen += 1
            }
        }
        #expect(loSeen == 4)
        #expect(try box.read(lo + "/scores-扣分明细.csv").contains(#"城西街道,A类,财政预决算,,2023-08-01,f-4,-4,,检查记录 #4,"备注, 含逗号和""引号""",8月检查.xlsx 发现问题!6,"#))
    }
}
