/// The exit codes precis uses; the README's table and cron's view of a run.
public enum ExitStatus: Int32, Sendable {
    /// Every file was summarized, or was already up to date.
    case ok = 0
    /// The run finished, but some files failed; report.json says which and why.
    case someFilesFailed = 1
    /// The command line or a pipeline file is wrong, or an API key is missing; nothing was run.
    case usage = 2
    /// The output directory or the checkpoint store could not be used.
    case output = 3
    /// The run stopped early: the key was refused, the balance ran out, or a daily limit or spending
    /// cap was reached. Everything finished is kept; rerun to resume.
    case stopped = 4
    /// Batch mode: calls are submitted or still running in the platform's batches, and nothing
    /// failed; run again later (cron's next run) to collect them and go on.
    case submitted = 5
    /// Another run holds the output directory (EX_TEMPFAIL): try again later, or pass `--wait`.
    case locked = 75
    /// SIGINT: calls in flight were finished (or abandoned on a second signal); rerun to resume.
    case interrupted = 130
    /// SIGTERM, as from `systemctl stop` or a timeout: the same as SIGINT.
    case terminated = 143
}
