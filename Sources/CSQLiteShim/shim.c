#include "cairn_sqlite_shim.h"
