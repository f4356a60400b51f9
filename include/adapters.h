/* adapters: the loaders of the input kinds (struct ingest_kind, kinds.c),
 * canonical readers of spec §3 and adapters of real exports (spec §6). The
 * tracker's loaders are in tracker.h. Options come through ingest_opt(). */
#ifndef UDAUDIT_ADAPTERS_H
#define UDAUDIT_ADAPTERS_H

#include "ingest.h"

/* Canonical kinds (spec §3): canon.c, usage_in.c */
int load_accounts(struct ingest_ctx *ctx);
int load_devices(struct ingest_ctx *ctx);
int load_device_apps(struct ingest_ctx *ctx);
int load_usage(struct ingest_ctx *ctx);
int load_compliance(struct ingest_ctx *ctx);
/* The columns the reader of a canonical CSV kind ("accounts", "devices",
 * "device-apps") finds by header, in spec order (`init` writes them as
 * the header): how many, or 0 for another kind. */
int canon_csv_columns(const char *kind, const struct csv_col **cols);

/* Adapters of real exports (spec §6): src/adapters/ */
int load_whatsapp(struct ingest_ctx *ctx);
int load_wickr(struct ingest_ctx *ctx);
int load_rsmf(struct ingest_ctx *ctx);
int load_intune_devices(struct ingest_ctx *ctx);
int load_intune_apps(struct ingest_ctx *ctx);
int load_purview(struct ingest_ctx *ctx);
int load_teams(struct ingest_ctx *ctx);
int load_slack(struct ingest_ctx *ctx);
int load_jamf(struct ingest_ctx *ctx);

#endif
