package io.tandem.node.config;

/** Why the config store refused or failed a request; stable names for the API's problem types. */
public enum ConfigRefusal {
    /** {@code ..}, an absolute path, NUL, a symlink on the way, our own {@code .tandem} area, or not matched by the
     * include globs (or matched by an exclude). */
    OUTSIDE_ROOTS,
    NOT_FOUND,
    TOO_LARGE,
    /** A directory, device, socket or symlink where a regular file was expected. */
    NOT_A_REGULAR_FILE,
    /** Uploaded or staged bytes do not have the expected SHA-256. */
    HASH_MISMATCH,
    /** Malformed change id, mode, hash or an empty / duplicate file list. */
    INVALID_REQUEST,
    /** A change with this id is already staged (or the backup id is already taken). */
    ALREADY_EXISTS,
    /** Another commit or rollback holds the store's lock. */
    BUSY,
    /** The swap failed midway; every file already swapped was restored from the backup. */
    APPLY_FAILED,
    /** The swap failed midway and restoring also failed: files are half-applied; see the journal and backup. */
    RESTORE_INCOMPLETE,
    /** Reading or writing failed before anything was changed. */
    IO_ERROR
}
