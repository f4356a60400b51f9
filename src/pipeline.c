/* pipeline: a bounded single-producer, single-consumer ring of slots. */
#include "pipeline.h"

#include <pthread.h>
#include <time.h>

#include "diag.h"
#include "timing.h"

struct pipeline {
	void *const *slot;
	int n;
	int full[PIPELINE_MAX_SLOTS];
	int head, tail;                 /* next to fill, next to drain */
	int done, failed, stop;         /* producer ended / failed; consumer stopped */
	pipeline_fill fill;
	void *user;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	double fill_busy, fill_cpu;     /* the producer's, set before it ends */
};

static void *produce(void *arg)
{
	struct pipeline *p = arg;
	double start = timing_now(CLOCK_MONOTONIC), waited = 0;
	int rc = 1;

	while (rc == 1) {
		pthread_mutex_lock(&p->mu);
		double t = timing_now(CLOCK_MONOTONIC);
		while (p->full[p->head] && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		waited += timing_now(CLOCK_MONOTONIC) - t;
		int stop = p->stop;
		void *slot = p->slot[p->head];
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		rc = p->fill(p->user, slot);
		pthread_mutex_lock(&p->mu);
		p->full[p->head] = 1;
		p->head = (p->head + 1) % p->n;
		if (rc < 0)
			p->failed = 1;
		if (rc != 1)
			p->done = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	p->fill_busy = timing_now(CLOCK_MONOTONIC) - start - waited;
	p->fill_cpu = timing_now(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

int pipeline_run(void *const *slots, int nslots, pipeline_fill fill,
		 pipeline_drain drain, void *user)
{
	struct pipeline p = { 0 };
	pthread_t thread;
	double busy = 0, cpu = 0;
	int rc = 0;

	if (nslots < 1 || nslots > PIPELINE_MAX_SLOTS)
		return diag_error(NULL, "pipeline: bad number of slots %d", nslots);
	p.slot = slots;
	p.n = nslots;
	p.fill = fill;
	p.user = user;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	if (pthread_create(&thread, NULL, produce, &p) != 0) {
		rc = diag_error(NULL, "cannot start a loader thread");
		goto out;
	}
	for (;;) {
		pthread_mutex_lock(&p.mu);
		while (!p.full[p.tail] && !p.done)
			pthread_cond_wait(&p.cv, &p.mu);
		int have = p.full[p.tail];
		pthread_mutex_unlock(&p.mu);
		if (!have)
			break;
		double t = timing_now(CLOCK_MONOTONIC), c = timing_now(CLOCK_THREAD_CPUTIME_ID);
		if (drain(user, p.slot[p.tail]))
			rc = -1;
		busy += timing_now(CLOCK_MONOTONIC) - t;
		cpu += timing_now(CLOCK_THREAD_CPUTIME_ID) - c;
		pthread_mutex_lock(&p.mu);
		p.full[p.tail] = 0;
		p.tail = (p.tail + 1) % p.n;
		if (rc)
			p.stop = 1;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (rc)
			break;
	}
	pthread_join(thread, NULL);
	if (p.failed)
		rc = -1;
	/* the parts of the load: which side waits for the other */
	phase_part(p.fill_busy, p.fill_cpu, "read (thread)");
	phase_part(busy, cpu, "insert");
out:
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	return rc;
}
