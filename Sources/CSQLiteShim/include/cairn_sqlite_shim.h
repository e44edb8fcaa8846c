#ifndef CAIRN_SQLITE_SHIM_H
#define CAIRN_SQLITE_SHIM_H

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

#endif
