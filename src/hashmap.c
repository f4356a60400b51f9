/* hashmap: see hashmap.h. */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

uint64_t hash_str64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;          /* FNV-1a 64 */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;                                   /* murmur3 finalizer */
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1;
}

uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static size_t home(const struct hashmap *m, uint64_t key)
{
	return (size_t)(hash_mix64(key) & (m->cap - 1));
}

static void grow(struct hashmap *m)
{
	struct hashmap big = HASHMAP_INIT;

	big.cap = m->cap ? m->cap * 2 : 16;
	big.keys = xmalloc(big.cap * sizeof(uint64_t));
	big.vals = xmalloc(big.cap * sizeof(uint64_t));
	big.used = xcalloc(big.cap, 1);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->used[i])
			continue;
		size_t j = home(&big, m->keys[i]);
		while (big.used[j])
			j = (j + 1) & (big.cap - 1);
		big.used[j] = 1;
		big.keys[j] = m->keys[i];
		big.vals[j] = m->vals[i];
	}
	big.n = m->n;
	free(m->keys);
	free(m->vals);
	free(m->used);
	*m = big;
}

uint64_t *hashmap_slot(struct hashmap *m, uint64_t key, int *is_new)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	size_t i = home(m, key);
	while (m->used[i]) {
		if (m->keys[i] == key) {
			*is_new = 0;
			return &m->vals[i];
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->used[i] = 1;
	m->keys[i] = key;
	m->vals[i] = 0;
	m->n++;
	*is_new = 1;
	return &m->vals[i];
}

uint64_t *hashmap_get(const struct hashmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t i = home(m, key);
	while (m->used[i]) {
		if (m->keys[i] == key)
			return &m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

int hashmap_add(struct hashmap *m, uint64_t key)
{
	int is_new;
	hashmap_slot(m, key, &is_new);
	return is_new;
}

int hashmap_next(const struct hashmap *m, size_t *pos, uint64_t *key, uint64_t *val)
{
	for (; *pos < m->cap; (*pos)++) {
		if (!m->used[*pos])
			continue;
		if (key)
			*key = m->keys[*pos];
		if (val)
			*val = m->vals[*pos];
		(*pos)++;
		return 1;
	}
	return 0;
}

void hashmap_clear(struct hashmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

/* ---- strmap ---- */

size_t *strmap_slot_h(struct strmap *m, const char *key, uint64_t h, int *is_new)
{
	int fresh;
	uint64_t *first = hashmap_slot(&m->first, h, &fresh);
	size_t i = fresh ? 0 : (size_t)*first;

	for (size_t k = i; k; k = m->e[k - 1].next) {
		if (!strcmp(m->e[k - 1].key, key)) {
			*is_new = 0;
			return &m->e[k - 1].val;
		}
	}
	m->e = xgrow(m->e, m->n + 1, &m->alloc, sizeof(*m->e));
	m->e[m->n].key = xstrdup(key);
	m->e[m->n].val = 0;
	m->e[m->n].next = i;            /* in front of the chain */
	*first = ++m->n;
	*is_new = 1;
	return &m->e[m->n - 1].val;
}

size_t *strmap_slot(struct strmap *m, const char *key, int *is_new)
{
	return strmap_slot_h(m, key, m->hash ? m->hash(key) : hash_str64(key), is_new);
}

const size_t *strmap_get(const struct strmap *m, const char *key)
{
	if (!key || !m->n)
		return NULL;
	const uint64_t *first = hashmap_get(&m->first, m->hash ? m->hash(key) : hash_str64(key));
	for (size_t k = first ? (size_t)*first : 0; k; k = m->e[k - 1].next)
		if (!strcmp(m->e[k - 1].key, key))
			return &m->e[k - 1].val;
	return NULL;
}

void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->e[i].key);
	free(m->e);
	hashmap_clear(&m->first);
	m->e = NULL;
	m->n = m->alloc = 0;
}
