import Logging
import RubricEngine

extension SpoolService {
    /// SIGHUP: reads the configuration, units file and rubrics again; settings that need a restart are named in
    /// the log, and a bad file keeps the old ones.
    func reload() {
        do {
            let fresh = try resolve()
            let rules = try Rules.load(fresh)
            daemon.ingest.rules = rules
            deadlines.recordsAdded()  // `[rectification] days` may have changed
            for warning in rules.roster.warnings { logger.warning("单位名单 \(fresh.units) \(warning)") }
            let restart = [
                ("spool", fresh.spool != config.spool), ("state", fresh.state != config.state),
                ("reports", fresh.reports != config.reports), ("timezone", fresh.timeZone != config.timeZone),
                ("watch", fresh.watch != config.watch), ("rescan_seconds", fresh.rescanSeconds != config.rescanSeconds),
                ("poll_seconds", fresh.pollSeconds != config.pollSeconds),
                ("snapshot_time", fresh.snapshotTime != config.snapshotTime),
                ("snapshot_grace_days", fresh.snapshotGraceDays != config.snapshotGraceDays),
            ].filter(\.1).map(\.0)
            if !restart.isEmpty {
                logger.warning("配置项 \(restart.joined(separator: "、")) 的修改需要重启服务(systemctl restart zwgk)才能生效;单位名单和考核细则已重新加载")
            }
            logger.info("已重新加载单位名单和考核细则", metadata: Event.reloaded.metadata(["units": "\(fresh.units)"]))
        } catch {
            let message = "重新加载失败,继续使用原有配置:\(error)"
            logger.error("\(message)", metadata: Event.reloadFailed.metadata())
            health.lastError = message
            health.lastErrorAt = Timestamp.iso(clock.now)
        }
    }
}
