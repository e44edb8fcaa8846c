#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "cairn_sqlite_shim.h"

int cairn_session_start(sqlite3 *db, const char *table, void **out) {
    sqlite3_session *session = 0;
    int rc = sqlite3session_create(db, "main", &session);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3session_attach(session, table);
    if (rc != SQLITE_OK) {
        sqlite3session_delete(session);
        return rc;
    }
    *out = session;
    return SQLITE_OK;
}

int cairn_session_attach(void *session, const char *table) {
    return sqlite3session_attach((sqlite3_session *)session, table);
}

int cairn_session_changeset(void *session, int *size, void **buffer) {
    return sqlite3session_changeset((sqlite3_session *)session, size, buffer);
}

void cairn_session_delete(void *session) {
    sqlite3session_delete((sqlite3_session *)session);
}

int cairn_changeset_start(void **out, int size, void *buffer) {
    sqlite3_changeset_iter *iterator = 0;
    int rc = sqlite3changeset_start(&iterator, size, buffer);
    *out = iterator;
    return rc;
}

int cairn_changeset_next(void *iterator) {
    return sqlite3changeset_next((sqlite3_changeset_iter *)iterator);
}

int cairn_changeset_op(void *iterator, const char **table, int *columns, int *op) {
    int indirect = 0;
    return sqlite3changeset_op((sqlite3_changeset_iter *)iterator, table, columns, op, &indirect);
}

int cairn_changeset_pk(void *iterator, unsigned char **flags, int *columns) {
    return sqlite3changeset_pk((sqlite3_changeset_iter *)iterator, flags, columns);
}

sqlite3_value *cairn_changeset_old(void *iterator, int index) {
    sqlite3_value *value = 0;
    if (sqlite3changeset_old((sqlite3_changeset_iter *)iterator, index, &value) != SQLITE_OK) return 0;
    return value;
}

sqlite3_value *cairn_changeset_new(void *iterator, int index) {
    sqlite3_value *value = 0;
    if (sqlite3changeset_new((sqlite3_changeset_iter *)iterator, index, &value) != SQLITE_OK) return 0;
    return value;
}

int cairn_changeset_finalize(void *iterator) {
    return sqlite3changeset_finalize((sqlite3_changeset_iter *)iterator);
}

static int cairn_write_file(void *file, const void *data, int size) {
    return fwrite(data, 1, (size_t)size, (FILE *)file) == (size_t)size ? SQLITE_OK : SQLITE_IOERR_WRITE;
}

static int cairn_read_file(void *file, void *data, int *size) {
    size_t read = fread(data, 1, (size_t)*size, (FILE *)file);
    *size = (int)read;
    return ferror((FILE *)file) ? SQLITE_IOERR_READ : SQLITE_OK;
}

int cairn_session_changeset_to_file(void *session, FILE *file) {
    return sqlite3session_changeset_strm((sqlite3_session *)session, cairn_write_file, file);
}

int cairn_changeset_start_from_file(void **out, FILE *file) {
    sqlite3_changeset_iter *iterator = 0;
    int rc = sqlite3changeset_start_strm(&iterator, cairn_read_file, file);
    *out = iterator;
    return rc;
}
