#ifndef CAIRN_SQLITE_SHIM_H
#define CAIRN_SQLITE_SHIM_H

#include <stdio.h>
#include <sqlite3.h>

/// Turns on the connection settings that keep a query from harming the file:
/// defensive mode (no writes to the schema or shadow tables), untrusted schema
/// (no unsafe functions from views or triggers), no double-quoted string
/// literals, and no attached databases. Returns SQLITE_OK or the first error.
/// Wraps sqlite3_db_config, which is variadic and cannot be called from Swift.
static inline int cairn_harden_connection(sqlite3 *db) {
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (void *)0);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (void *)0);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (void *)0);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (void *)0);
    if (rc != SQLITE_OK) return rc;
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    return SQLITE_OK;
}

/* Change capture for dry-run diffs, wrapping SQLite's session extension
 * (Debian's libsqlite3 is built with SQLITE_ENABLE_SESSION). Session and
 * iterator handles are opaque here; session.c includes the session API. */

/// Starts recording changes to `table` (in "main") on `db`; *out receives the session.
int cairn_session_start(sqlite3 *db, const char *table, void **out);
/// Adds another table to a session.
int cairn_session_attach(void *session, const char *table);
/// The changeset recorded so far: *size bytes at *buffer, to free with sqlite3_free.
int cairn_session_changeset(void *session, int *size, void **buffer);
/// Writes the changeset recorded so far to `file`, a piece at a time (no buffer of it all).
int cairn_session_changeset_to_file(void *session, FILE *file);
/// Starts iterating a changeset read from `file` a piece at a time; *out receives the iterator.
int cairn_changeset_start_from_file(void **out, FILE *file);
/// Ends a session.
void cairn_session_delete(void *session);

/// Starts iterating a changeset; *out receives the iterator.
int cairn_changeset_start(void **out, int size, void *buffer);
/// Moves to the next change: SQLITE_ROW while there is one, SQLITE_DONE at the end.
int cairn_changeset_next(void *iterator);
/// The current change's table, column count and operation (SQLITE_INSERT, _UPDATE, _DELETE).
int cairn_changeset_op(void *iterator, const char **table, int *columns, int *op);
/// The primary-key flags of the current change's table: (*flags)[i] is 1 for a key column.
int cairn_changeset_pk(void *iterator, unsigned char **flags, int *columns);
/// The old (before) value of column `index`, or NULL when the change does not carry it.
sqlite3_value *cairn_changeset_old(void *iterator, int index);
/// The new (after) value of column `index`, or NULL when the change does not carry it.
sqlite3_value *cairn_changeset_new(void *iterator, int index);
/// Ends an iteration.
int cairn_changeset_finalize(void *iterator);

#endif
