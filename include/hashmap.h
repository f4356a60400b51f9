/* hashmap: the in-memory tables of the analysis. Open addressing, linear
 * probing, power-of-two capacity, grown at 3/4 full; no deletion (the
 * tables live for one run).
 *
 *   struct hashmap  exact 64-bit integer key -> 64-bit value (every key,
 *                   0 included); a set when the value is not used
 *   struct strmap   exact string key -> size_t (an index in the caller's
 *                   array); the key is copied. Keys are compared whenever
 *                   their 64-bit hashes are equal, so a collision never
 *                   merges two keys.
 *
 * hash_str64 is the string hash both use (and the analysis's store index,
 * which compares the ids themselves too); a test may replace it for one
 * map (strmap.hash) to force collisions. */
#ifndef UDAUDIT_HASHMAP_H
#define UDAUDIT_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a with a murmur3 finalizer; never 0. */
uint64_t hash_str64(const char *s);
/* A 64-bit mixer (splitmix64's finalizer). */
uint64_t hash_mix64(uint64_t x);

struct hashmap {
	uint64_t *keys, *vals;
	unsigned char *used;
	size_t n, cap;
};
#define HASHMAP_INIT { NULL, NULL, NULL, 0, 0 }

/* The value of key, inserted as 0 when absent (*is_new = 1). The pointer
 * is valid until the next insert. */
uint64_t *hashmap_slot(struct hashmap *m, uint64_t key, int *is_new);
/* The value of key, or NULL. */
uint64_t *hashmap_get(const struct hashmap *m, uint64_t key);
/* As a set: 1 when key was new (and is added), 0 when already there. */
int hashmap_add(struct hashmap *m, uint64_t key);
/* Iterate: *pos starts at 0; 1 with the next key/value, 0 at the end.
 * The order is the table's, not the insertion order. */
int hashmap_next(const struct hashmap *m, size_t *pos, uint64_t *key, uint64_t *val);
void hashmap_clear(struct hashmap *m);  /* free; the map is empty and usable */

/* One flat table of (hash, entry) slots; the entries (value and key) in
 * an arena, in insertion order: a lookup reads a slot and an entry, and
 * compares the key itself whenever the 64-bit hashes are equal. */
struct strmap_slot {
	uint64_t h;
	size_t at;                      /* + 1: the entry's offset in the arena; 0 empty */
};

struct strmap {
	struct strmap_slot *slot;
	size_t cap;
	char *arena;                    /* entries: value, key, NUL, padding */
	size_t used, size;
	size_t *order;                  /* the offset of each entry, in insertion order */
	size_t n, alloc;
	uint64_t (*hash)(const char *); /* NULL: hash_str64 */
};
#define STRMAP_INIT { NULL, 0, NULL, 0, 0, NULL, 0, 0, NULL }

/* The value of key (h: its hash, computed once by the caller), inserted as
 * 0 when absent (*is_new = 1). Valid until the next insert. */
size_t *strmap_slot_h(struct strmap *m, const char *key, uint64_t h, int *is_new);
size_t *strmap_slot(struct strmap *m, const char *key, int *is_new);
/* As a set: 1 when key was new (and is added), 0 when already there. */
int strmap_add(struct strmap *m, const char *key);
/* The value of key, or NULL (also for a NULL key). */
const size_t *strmap_get(const struct strmap *m, const char *key);
/* The same with h, the map's hash of key, computed by the caller. */
const size_t *strmap_get_h(const struct strmap *m, const char *key, uint64_t h);
/* Fetch into the cache what a lookup of h (the map's hash; 0: nothing)
 * will read: its home slot (entry 0), or the key that slot holds (entry 1,
 * when the slot was fetched before). Some rows ahead of the lookups. */
void strmap_prefetch(const struct strmap *m, uint64_t h, int entry);
/* The key of the i-th entry inserted (i < m->n). */
const char *strmap_key(const struct strmap *m, size_t i);
void strmap_clear(struct strmap *m);    /* free; empty and usable (hash kept) */

#endif
