/* schema: the audit database's migrations, applied in order by store_open;
 * PRAGMA user_version is the number applied. Append, never edit. */
#ifndef UDAUDIT_SCHEMA_H
#define UDAUDIT_SCHEMA_H

extern const char *const schema_migrations[];   /* ends with NULL */

#endif
