// The peer of `make bench`: spec 4.1 (the message findings) as one DuckDB
// query over the same generated audit, the way a user would do the analysis
// without udaudit: read_json over usage.jsonl, the accounts and devices CSVs,
// and the compliance store handed over as CSV (DuckDB's sqlite extension
// would have to be downloaded; the export is not timed).
//
//   DUCKDB_PREFIX=build/duckdb node tests/bench/duckdb.mjs DIR AS_OF THREADS
//
// DUCKDB_PREFIX is where `npm install --prefix` put @duckdb/node-api
// (make bench-peer does that; the package stays out of make check).
// Prints one line: "duckdb: VERSION, N findings, M copies, S s" (S is the
// query time in-process; the bench times the whole process as well). The
// finding count is printed so that the two sides can be seen to agree.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.resolve(process.env.DUCKDB_PREFIX || '.') + '/');
const { DuckDBInstance } = require('@duckdb/node-api');

const [dir, asOf, threads] = process.argv.slice(2);
if (!dir || !asOf)
	throw new Error('usage: node duckdb.mjs DIR AS_OF [THREADS]');
const t0 = process.hrtime.bigint();
const db = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const con = await db.connect();
const q = (sql) => con.run(sql);
const end = `TIMESTAMPTZ '${asOf} 00:00:00+00' + INTERVAL 1 DAY`;

await q(`CREATE TABLE u AS SELECT * FROM read_json('${dir}/usage.jsonl',
	format = 'newline_delimited', columns = {ts: 'TIMESTAMPTZ', app: 'VARCHAR',
	account: 'VARCHAR', device_id: 'VARCHAR', event: 'VARCHAR', message_id: 'VARCHAR',
	conversation_id: 'VARCHAR', peer: 'VARCHAR', to_account: 'VARCHAR',
	ttl_seconds: 'BIGINT'}) WHERE ts < ${end}`);
await q(`CREATE TABLE acc AS SELECT * FROM read_csv('${dir}/accounts.csv', header = true,
	all_varchar = true)`);
await q(`CREATE TABLE dev AS SELECT * FROM read_csv('${dir}/devices.csv', header = true,
	all_varchar = true)`);
await q(`CREATE TABLE store AS SELECT message_id, min(captured_at) AS cap
	FROM read_csv('${dir}/store.csv', header = true,
		columns = {message_id: 'VARCHAR', app: 'VARCHAR', account: 'VARCHAR',
		conversation_id: 'VARCHAR', sent_at: 'VARCHAR', captured_at: 'TIMESTAMPTZ',
		sha256: 'VARCHAR', purged_at: 'VARCHAR', purge_reason: 'VARCHAR'})
	WHERE captured_at < ${end} GROUP BY message_id`);

// One row per copy (account, message_id): its time, device, conversation;
// the first retention (store, forward, export at or after the copy) and the
// first loss of rows 1-3; then the class by the table of spec 4.1.
const reader = await con.runAndReadAll(`
WITH copies AS (
	SELECT account, message_id, min(ts) AS t, arg_min(device_id, ts) AS device_id,
		arg_min(conversation_id, ts) AS conv
	FROM u WHERE event IN ('sent', 'received') AND message_id IS NOT NULL
	GROUP BY account, message_id),
fwd AS (SELECT message_id, min(ts) AS ts FROM u WHERE event = 'forwarded' GROUP BY message_id),
del AS (SELECT account, message_id, ts FROM u WHERE event IN ('deleted', 'expired', 'burned')),
acdel AS (SELECT account, min(ts) AS ts FROM u WHERE event = 'account_deleted' GROUP BY account),
exp AS (SELECT conversation_id AS conv, ts FROM u WHERE event = 'exported'),
l1 AS (SELECT c.account, c.message_id, min(d.ts) AS ts FROM copies c
	JOIN del d ON d.account = c.account AND d.message_id = c.message_id AND d.ts >= c.t
	GROUP BY c.account, c.message_id),
kx AS (SELECT c.account, c.message_id, min(e.ts) AS ts FROM copies c
	JOIN exp e ON e.conv = c.conv AND e.ts >= c.t GROUP BY c.account, c.message_id),
judged AS (
	SELECT c.*, a.capture, a.closed_on, least(s.cap, f.ts, kx.ts) AS kept, l1.ts AS l1,
		CASE WHEN v.status IN ('replaced', 'wiped', 'retired', 'lost', 'stolen')
			AND v.status_on::DATE >= c.t::DATE AND v.status_on::DATE <= DATE '${asOf}'
			THEN v.status_on::TIMESTAMPTZ END AS l2,
		least(CASE WHEN a.closed_on::DATE >= c.t::DATE AND a.closed_on::DATE <= DATE '${asOf}'
			THEN a.closed_on::TIMESTAMPTZ END,
			CASE WHEN x.ts >= c.t THEN x.ts END) AS l3
	FROM copies c
	LEFT JOIN acc a ON a.account = c.account
	LEFT JOIN dev v ON v.device_id = c.device_id
	LEFT JOIN store s ON s.message_id = c.message_id
	LEFT JOIN fwd f ON f.message_id = c.message_id
	LEFT JOIN acdel x ON x.account = c.account
	LEFT JOIN l1 ON l1.account = c.account AND l1.message_id = c.message_id
	LEFT JOIN kx ON kx.account = c.account AND kx.message_id = c.message_id),
classed AS (
	SELECT *, CASE
		WHEN kept IS NULL AND coalesce(l1, l2, l3) IS NOT NULL THEN CASE
			WHEN l1 IS NOT NULL AND l1 <= coalesce(l2, l1) AND l1 <= coalesce(l3, l1) THEN 'UNCAPTURED_DELETION'
			WHEN l2 IS NOT NULL AND l2 <= coalesce(l3, l2) THEN 'DEVICE_LOSS'
			ELSE 'ACCOUNT_DELETION' END
		WHEN kept IS NULL AND closed_on::DATE > DATE '${asOf}' THEN 'ACCOUNT_DELETION_IMPENDING'
		WHEN kept IS NULL AND capture = 'archiver' THEN 'CAPTURE_GAP'
		WHEN kept IS NULL AND DATE '${asOf}' - t::DATE > 20 THEN 'NOT_FORWARDED'
		WHEN kept IS NOT NULL AND coalesce(capture, 'none') <> 'archiver'
			AND kept::DATE - t::DATE > 20 THEN 'LATE_FORWARD'
		END AS type
	FROM judged)
SELECT count(*) AS findings, sum(n) AS copies FROM (
	SELECT type, account, device_id, count(*) AS n FROM classed WHERE type IS NOT NULL
	GROUP BY type, account, device_id)`);
const [row] = reader.getRowObjects();
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const version = (await (await con.runAndReadAll('SELECT version() AS v')).getRowObjects())[0].v;
console.log(`duckdb: ${version}, ${row.findings} message findings, ${row.copies} copies, ${secs.toFixed(2)} s`);
