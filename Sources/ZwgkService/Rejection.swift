public import DropFile

/// The text of a rejection, the same in `NAME.why.txt` and from `zwgk validate`.
public enum Rejection {
    static func whyText(name: String, receivedAt: String, reason: String) -> String {
        """
        文件:\(name)
        收到时间:\(receivedAt)(UTC)
        结果:拒收。整个文件未被合并,其中任何记录都没有计分。
        原因:
        \(reason)

        处理办法:请按上述说明修改文件(可先用 zwgk validate 文件名 检查),再重新放入 incoming/ 目录或用 zwgk submit 提交。

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
    static let special = "  这不是普通文件(可能是管道或设备文件),无法作为投递文件读取。"
}
