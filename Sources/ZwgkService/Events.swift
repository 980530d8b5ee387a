public import Logging

/// Kinds of events an operator filters the journal on, each with a stable MESSAGE_ID
/// (explained for `journalctl -x` by deploy/zwgk.catalog).
public enum Event: String, CaseIterable, Sendable {
    case started = "da50aec4a88546f5af037df9c6f0c1ac"
    case stopped = "b91ca25e50fe43bd8e722a228f91bc88"
    case reloaded = "f10c27557f454de2b2dc94641dbe370c"
    case reloadFailed = "1bb193c21d6446a596a5b8c8aa2a1e20"
    case fileAccepted = "7a927827deac4867a3796f1f77123840"
    case fileRejected = "276d9d75e2d44455a9f558baf5a1ef34"
    case fileDuplicate = "b8b33d06695d4800a0f1265fa6431f16"
    case fileUnplaced = "bbb611ffc1ce4482a6df2794b7b1adef"
    case unhealthy = "97951f0e70a9456b958dcb0dbfec99ed"
    case recovered = "dd10695b432b45dfa6a35de9de445842"
    case snapshotWritten = "e623afb3a1e14621b99f51ea91b656f1"
    case rectificationOverdue = "9c504cfa80cf482da81f0c155ce1a5e2"
    case yearApproved = "722bcfed133d4a96ab12cf1c46a3b8d3"
    case approvalRevoked = "52f7f3cbe9eb495cbe6ee5b2f3357188"
    case integrityFailed = "d5d3f26fea074195a21b0f3b47c68982"
    /// A drop file set aside after the service died twice while deciding it (`CrashNotes`).
    case fileQuarantined = "87d3cc42455b44fab8fbbe58904ea415"
    /// A snapshot skipped after the service died twice while writing it (`CrashNotes`).
    case snapshotSkipped = "75d85ecbc1294c0ca7736a3ada0c695e"

    /// Metadata carrying this event's MESSAGE_ID, plus `extra`.
    public func metadata(_ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        extra.merging(["message_id": .string(rawValue)]) { $1 }
    }
}
