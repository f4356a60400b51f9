/* timing: with UDAUDIT_TIMING set, each phase of a command prints its wall
 * and CPU seconds (all threads) on stderr, so that a benchmark or a profile
 * can say where a run goes:
 *
 *   udaudit: ingest usage: load               3.10 s  cpu    5.20 s
 *   udaudit: ingest usage:   parse (thread)   2.90 s  cpu    2.85 s
 *
 * One clock for the process: a phase is the time since the previous one,
 * so the phases of a command add up to the whole of it. Off, a phase costs
 * two clock reads. Called from the command's thread only. */
#ifndef UDAUDIT_TIMING_H
#define UDAUDIT_TIMING_H

/* 1 when UDAUDIT_TIMING is set. */
int timing_on(void);
/* The stage (printf format: "run", "ingest usage", "analyze") of the next
 * phases; the clock starts at the first call. */
void phase_stage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The phase that ends now (printf format), since the previous one; the
 * clock restarts. NULL restarts it without printing. */
void phase(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A part of the phase under way, measured by itself (a thread's busy wall
 * time and its CPU): printed, indented, after that phase's line; the parts
 * run side by side, so they may add up to more than the phase. */
void phase_part(double wall, double cpu, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Seconds of a clock (CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID, ...). */
double timing_now(int clock_id);

#endif
