/* The store index (a packed specialisation: 12 bytes a slot), the per-app
 * seconds maps of retained archiver copies and the key filters (an.h). */
#include "an.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "xalloc.h"

/* Zeroed memory for the index, in huge pages where the kernel allows
 * (THP "madvise" mode; the probes are random: fewer TLB misses). A large
 * calloc is fresh anonymous memory, not touched yet. */
static struct sidx_slot *sidx_alloc(size_t cap)
{
	size_t bytes = cap * sizeof(struct sidx_slot);
	struct sidx_slot *p = xcalloc(cap, sizeof(struct sidx_slot));
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t to = ((uintptr_t)p + bytes) & ~(huge - 1);
	if (to > from)
		madvise((void *)from, to - from, MADV_HUGEPAGE);
#endif
	return p;
}

uint64_t (*an_key_hash)(const char *) = hash_str64;

void filter_add(struct key_filter *f, uint64_t key)
{
	if (!f->bits)
		f->bits = xcalloc((1ULL << FILTER_BITS) / 64, sizeof(uint64_t));
	for (int i = 0; i < 2; i++) {
		uint64_t b = filter_probe(key, i);
		f->bits[b / 64] |= 1ULL << (b % 64);
	}
}

void analyze_test_key_hash(uint64_t (*h)(const char *))
{
	an_key_hash = h ? h : hash_str64;
}

void sidx_free(struct store_index *x)
{
	free(x->s);
	free(x->arena);
	memset(x, 0, sizeof(*x));
}

void sidx_init(struct store_index *x, size_t cap)
{
	x->cap = cap;
	x->n = 0;
	x->s = sidx_alloc(cap);
}

/* Place a slot by its key (the slot is new: no comparison). */
static void sidx_place(struct store_index *x, uint64_t key, struct sidx_slot slot)
{
	size_t i = (size_t)(key & (x->cap - 1));
	while (x->s[i].ref)
		i = (i + 1) & (x->cap - 1);
	x->s[i] = slot;
	x->n++;
}

/* Twice the slots (the store was larger than sized): the home slots come
   from the full hash, which the slots do not keep: hash the ids again. */
static void sidx_grow(struct store_index *x)
{
	struct sidx_slot *old = x->s;
	size_t ocap = x->cap;

	x->cap = ocap ? ocap * 2 : 1024;
	x->s = sidx_alloc(x->cap);
	x->n = 0;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].ref)
			sidx_place(x, an_key_hash(x->arena + ((size_t)old[i].ref - 1) * 4), old[i]);
	free(old);
}

/* The arena reference of a copy of mid. */
static uint32_t sidx_keep(struct store_index *x, const char *mid)
{
	size_t len = strlen(mid) + 1, need = (len + 3) & ~(size_t)3;
	if (x->alen + need > x->aalloc) {
		/* a large realloc moves pages (mremap), it does not copy them */
		size_t n = x->aalloc ? x->aalloc * 2 : 1 << 20;
		while (n < x->alen + need)
			n *= 2;
		x->arena = xrealloc(x->arena, n);
		x->aalloc = n;
	}
	if (x->alen / 4 >= UINT32_MAX)
		xmalloc(SIZE_MAX);      /* 16 GB of message ids: out of memory */
	uint32_t ref = (uint32_t)(x->alen / 4) + 1;
	memcpy(x->arena + x->alen, mid, len);
	memset(x->arena + x->alen + len, 0, need - len);
	x->alen += need;
	return ref;
}

/* 1 when mid is new (and stored), 0 when it was already there. */
int sidx_put(struct store_index *x, uint64_t key, const char *mid, int32_t day)
{
	if ((x->n + 1) * 10 > x->cap * 7)
		sidx_grow(x);
	if (sidx_find(x, key, mid))
		return 0;
	struct sidx_slot slot = { (uint32_t)(key >> 32), day, sidx_keep(x, mid) };
	sidx_place(x, key, slot);
	return 1;
}

/* The slot value of a row: SIDX_LATER, or day * 2 + purged by as_of. */
int32_t sidx_value(long long captured, long long purged, int has_purged, long long cutoff)
{
	if (captured >= cutoff)
		return SIDX_LATER;
	long long day = time_day(captured);
	if (day < -(1LL << 29))
		day = -(1LL << 29);     /* a hostile store: still "in time" */
	return (int32_t)(day * 2 + (has_purged && purged < cutoff));
}

static uint64_t *secmap_chunk(struct secmap *m, long long day, int create)
{
	if (!create) {
		const uint64_t *p = hashmap_get(&m->chunks, (uint64_t)day);
		return p ? (uint64_t *)(uintptr_t)*p : NULL;
	}
	int is_new;
	uint64_t *p = hashmap_slot(&m->chunks, (uint64_t)day, &is_new);
	if (is_new)
		*p = (uint64_t)(uintptr_t)xcalloc(CHUNK_WORDS, sizeof(uint64_t));
	return (uint64_t *)(uintptr_t)*p;
}

void secmap_set(struct secmap *m, long long ts)
{
	long long day = time_day(ts);
	long long s = ts - day * DAY;
	uint64_t *c = secmap_chunk(m, day, 1);
	c[s / 64] |= (uint64_t)1 << (s % 64);
}

/* 1 when any second in [a, b] is set. */
int secmap_any(struct secmap *m, long long a, long long b)
{
	for (long long day = time_day(a); day <= time_day(b); day++) {
		const uint64_t *c = secmap_chunk(m, day, 0);
		if (!c)
			continue;
		long long lo = day * DAY > a ? 0 : a - day * DAY;
		long long hi = (day + 1) * DAY - 1 < b ? DAY - 1 : b - day * DAY;
		for (long long s = lo; s <= hi; ) {
			if (s % 64 == 0 && s + 63 <= hi) {
				if (c[s / 64])
					return 1;
				s += 64;
			} else {
				if (c[s / 64] & ((uint64_t)1 << (s % 64)))
					return 1;
				s++;
			}
		}
	}
	return 0;
}

void secmap_clear(struct secmap *m)
{
	uint64_t chunk;
	for (size_t pos = 0; hashmap_next(&m->chunks, &pos, NULL, &chunk); )
		free((void *)(uintptr_t)chunk);
	hashmap_clear(&m->chunks);
}

