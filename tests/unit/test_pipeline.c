/* pipeline: every slot filled is drained once, in order; either side can
 * stop the run. */
#include "pipeline.h"

#include "check.h"

struct counter {
	int next, total;        /* producer: next value, values to produce */
	int fail_fill_at;       /* producer fails when next reaches it (-1 never) */
	int drained, last, in_order;
	int fail_drain_at;      /* consumer fails on this value (-1 never) */
};

static int fill(void *user, void *slot)
{
	struct counter *c = user;
	int *v = slot;

	*v = c->next++;
	if (c->next - 1 == c->fail_fill_at)
		return -1;
	return c->next < c->total ? 1 : 0;
}

static int drain(void *user, void *slot)
{
	struct counter *c = user;
	int v = *(int *)slot;

	if (v != c->last + 1)
		c->in_order = 0;
	c->last = v;
	c->drained++;
	return v == c->fail_drain_at ? -1 : 0;
}

static int run(struct counter *c, int nslots)
{
	int v[PIPELINE_MAX_SLOTS];
	void *slot[PIPELINE_MAX_SLOTS];

	for (int i = 0; i < PIPELINE_MAX_SLOTS; i++)
		slot[i] = &v[i];
	c->last = -1;
	c->in_order = 1;
	return pipeline_run(slot, nslots, fill, drain, c);
}

int main(void)
{
	struct counter c = { 0, 10000, -1, 0, 0, 0, -1 };

	CHECK(run(&c, 4) == 0);
	CHECK(c.drained == 10000);
	CHECK(c.in_order);

	struct counter one = { 0, 1, -1, 0, 0, 0, -1 };
	CHECK(run(&one, 1) == 0);
	CHECK(one.drained == 1);

	/* the producer fails: what it filled is drained, the run fails */
	struct counter ff = { 0, 10000, 500, 0, 0, 0, -1 };
	CHECK(run(&ff, 4) == -1);
	CHECK(ff.drained == 501);
	CHECK(ff.in_order);

	/* the consumer fails: the producer stops, nothing after is drained */
	struct counter df = { 0, 1000000, -1, 0, 0, 0, 300 };
	CHECK(run(&df, 4) == -1);
	CHECK(df.drained == 301);
	CHECK(df.next < 300 + 4 + 2);   /* the ring bounds how far it ran ahead */

	CHECK(run(&c, 0) == -1);
	CHECK(run(&c, PIPELINE_MAX_SLOTS + 1) == -1);
	return CHECK_DONE();
}
