/* pipeline: two halves of a load on two cores. A producer thread fills a
 * fixed ring of slots (parse, read, validate); the caller's thread drains
 * them in order (insert into SQLite). The ring is fixed, so memory does not
 * grow with the input. Used by the usage and compliance loaders. */
#ifndef UDAUDIT_PIPELINE_H
#define UDAUDIT_PIPELINE_H

#define PIPELINE_MAX_SLOTS 8

/* Fill one slot on the producer thread: 1 = filled, more may come;
 * 0 = filled (possibly empty), the input ended; -1 = failed (the slot is
 * still drained, then the run fails). */
typedef int (*pipeline_fill)(void *user, void *slot);
/* Drain one slot on the caller's thread: 0, or -1 to stop the run. */
typedef int (*pipeline_drain)(void *user, void *slot);

/* Run until the input ends or a side fails. 0, or -1 (a side failed, or
 * the thread could not start: printed). With UDAUDIT_TIMING, the busy time
 * and CPU of each side are parts of the phase under way (timing.h). */
int pipeline_run(void *const *slots, int nslots, pipeline_fill fill,
		 pipeline_drain drain, void *user);

#endif
