package io.tandem.monitor;

/** How bad a finding is; declared worst first, so the natural order sorts the worst to the top. */
public enum Severity {
    /** Data is lost, duplicated or misdecoded now, or only a person can recover (split brain, changed key). */
    CRITICAL,
    /** The pair would not survive losing a node cleanly, or Tandem cannot vouch that it would. */
    WARNING,
    /** Worth knowing and tidying; no data is at stake. */
    INFO
}
