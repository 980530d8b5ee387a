public import DropFile
import Foundation
import ZwgkFormats

/// The text of a rejection, the same in `NAME.why.txt` and from `zwgk validate`.
public enum Rejection {
    static func whyText(name: String, receivedAt: String, reason: String, quarantined: Bool = false) -> String {
        let advice =
            quarantined
            ? "请不要直接重新提交:请把此文件发送给系统管理员,查明服务停止的原因后再处理。"
            : "请按上述说明修改文件(可先用 zwgk validate 文件名 检查),再重新放入 incoming/ 目录或用 zwgk submit 提交。"
        return """
            文件:\(ControlText.escaped(name))
            收到时间:\(receivedAt)(UTC)
            结果:拒收。整个文件未被合并,其中任何记录都没有计分。
            原因:
            \(reason)

            处理办法:\(advice)

            """
    }

    /// The first problem of a stored reason, for one-line messages.
    static func firstProblem(_ reason: String?) -> String {
        let lines = (reason ?? "").split(separator: "\n")
        return (lines.count > 1 ? lines[1] : lines.first ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// A drop file's problems: the first ones in full, then how many more (see `Problems.listing`).
    static func reason(_ problems: Problems) -> String { problems.listing }

    static let symlink = "  这是一个符号链接(快捷方式)。为安全起见,zwgk 不会读取链接指向的文件。请把文件本身复制到 incoming/ 目录。"
    static let directory = "  这是一个文件夹,不是文件。请把其中的投递文件(.json、.xlsx、.csv)逐个放入 incoming/ 目录。"
    /// A file set aside after the service died twice while deciding it (`CrashNotes`).
    static let quarantined = "  zwgk 服务在读取、检查此文件时两次意外停止(进程崩溃或被系统终止)。为不耽误其他文件的接收,已将其隔离,未作检查。"
    static func hardLink(_ links: Int) -> String {
        "  这个文件有 \(links) 个硬链接(同一文件在别处还有其他名字)。为安全起见,zwgk 不接收有多个硬链接的文件,"
            + "因为它可能经由其他名字被改动。请把文件复制(而不是链接)到 incoming/ 目录后重新提交。"
    }
    static let special = "  这不是普通文件(可能是管道或设备文件),无法作为投递文件读取。"

    /// A file of a kind zwgk does not read, with how to turn it into one it does.
    static func notADropFormat(_ name: String) -> String {
        let dot = name.lastIndex(of: ".")
        let ext = dot.map { String(name[name.index(after: $0)...]).lowercased() } ?? ""
        let saveAs = "请在 Excel/WPS 中“另存为”Excel 工作簿(*.xlsx)后再提交"
        let what: String
        switch ext {
        case "xls": what = "这是旧版 Excel 97-2003 工作簿(.xls),zwgk 只读取 .xlsx 工作簿。" + saveAs + "。"
        case "et", "ett": what = "这是 WPS 表格文件(.\(ext)),zwgk 只读取 .xlsx 工作簿。请在 WPS 中“另存为”Excel 工作簿(*.xlsx)后再提交。"
        case "xlsm", "xlsb", "xltx", "xlt", "ods", "numbers":
            what = "这是 .\(ext) 格式的表格文件,zwgk 只读取 .xlsx 工作簿。" + saveAs + "(不含宏)。"
        case "txt", "tsv": what = "这是文本文件(.\(ext))。表格记录请另存为 .csv(逗号分隔)或 .xlsx,JSON 记录请把扩展名改为 .json 后再提交。"
        case "": what = "文件名没有扩展名,zwgk 无法判断文件类型。"
        default: what = "zwgk 不读取 .\(ext) 文件。"
        }
        return "  " + what + "投递目录只接收 .json、.xlsx 和 .csv 文件(可用 zwgk template 生成填写模板)。"
    }
}
