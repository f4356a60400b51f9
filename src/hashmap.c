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
	free(m->keys);
	free(m->vals);
	free(m->used);
	m->keys = big.keys;
	m->vals = big.vals;
	m->used = big.used;
	m->cap = big.cap;
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

/* An entry in the arena: its value, then the key and its NUL, padded so
 * that the next value is aligned. */
#define ENTRY_ALIGN sizeof(size_t)

static size_t *entry_val(const struct strmap *m, size_t at)
{
	return (size_t *)(void *)(m->arena + at);
}

static const char *entry_key(const struct strmap *m, size_t at)
{
	return m->arena + at + sizeof(size_t);
}

static void strmap_grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct strmap_slot *slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slot[i].at)
			continue;
		size_t j = (size_t)(hash_mix64(m->slot[i].h) & (cap - 1));
		while (slot[j].at)
			j = (j + 1) & (cap - 1);
		slot[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
}

/* The slot of key (hash h): its entry's, or the empty one where it goes. */
static struct strmap_slot *find(const struct strmap *m, const char *key, uint64_t h)
{
	size_t i = (size_t)(hash_mix64(h) & (m->cap - 1));

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct strmap_slot *sl = &m->slot[i];
		if (!sl->at || (sl->h == h && !strcmp(entry_key(m, sl->at - 1), key)))
			return sl;
	}
}

static size_t add_entry(struct strmap *m, const char *key)
{
	size_t klen = strlen(key) + 1, at = m->used;
	size_t need = sizeof(size_t) + (klen + ENTRY_ALIGN - 1) / ENTRY_ALIGN * ENTRY_ALIGN;

	if (m->used + need > m->size) {
		while (m->used + need > m->size)
			m->size = m->size ? m->size * 2 : 1024;
		m->arena = xrealloc(m->arena, m->size);
	}
	*entry_val(m, at) = 0;
	memcpy(m->arena + at + sizeof(size_t), key, klen);
	m->used += need;
	m->order = xgrow(m->order, m->n + 1, &m->alloc, sizeof(*m->order));
	m->order[m->n++] = at;
	return at;
}

size_t *strmap_slot_h(struct strmap *m, const char *key, uint64_t h, int *is_new)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		strmap_grow(m);
	struct strmap_slot *sl = find(m, key, h);
	*is_new = !sl->at;
	if (!sl->at) {
		sl->h = h;
		sl->at = add_entry(m, key) + 1;
	}
	return entry_val(m, sl->at - 1);
}

size_t *strmap_slot(struct strmap *m, const char *key, int *is_new)
{
	return strmap_slot_h(m, key, m->hash ? m->hash(key) : hash_str64(key), is_new);
}

int strmap_add(struct strmap *m, const char *key)
{
	int is_new;
	strmap_slot(m, key, &is_new);
	return is_new;
}

const size_t *strmap_get(const struct strmap *m, const char *key)
{
	if (!key)
		return NULL;
	return strmap_get_h(m, key, m->hash ? m->hash(key) : hash_str64(key));
}

const size_t *strmap_get_h(const struct strmap *m, const char *key, uint64_t h)
{
	if (!key || !m->n)
		return NULL;
	const struct strmap_slot *sl = find(m, key, h);
	return sl->at ? entry_val(m, sl->at - 1) : NULL;
}

void strmap_prefetch(const struct strmap *m, uint64_t h, int entry)
{
	if (!h || !m->cap)
		return;
	const struct strmap_slot *sl = &m->slot[hash_mix64(h) & (m->cap - 1)];
	if (!entry)
		__builtin_prefetch(sl);
	else if (sl->at)
		__builtin_prefetch(entry_key(m, sl->at - 1));
}

const char *strmap_key(const struct strmap *m, size_t i)
{
	return entry_key(m, m->order[i]);
}

void strmap_clear(struct strmap *m)
{
	uint64_t (*hash)(const char *) = m->hash;

	free(m->slot);
	free(m->arena);
	free(m->order);
	memset(m, 0, sizeof(*m));
	m->hash = hash;
}
