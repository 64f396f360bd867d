// PouchDB, a CouchDB-protocol peer nobody here wrote, replicating with onewindowd in both
// directions: everything of SOURCE into an in-memory PouchDB, then all of that into
// TARGET. Every document must arrive unchanged: the same JSON, key for key, on all three.
// Also: a live listener on TARGET from 'now', started before the push, hears every document
// the push stores; and a replication of three of SOURCE's last changes by doc_ids (the
// _doc_ids filter, in pages of 50 that mostly hold none of them) brings exactly those three.
// Usage: node replicate.js SOURCE_URL TARGET_URL   (database URLs, e.g. http://127.0.0.1:5984/onewindow)
// Prints one JSON line of figures; exits 1 on any difference, 2 on a usage or network error.
'use strict';
const PouchDB = require('pouchdb-node');
PouchDB.plugin(require('pouchdb-adapter-memory'));

// The document as the event it is: CouchDB's revision history is the replicator's.
function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).filter((k) => k !== '_revisions').sort()
      .map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

async function documentsOf(db) {
  const all = await db.allDocs({ include_docs: true });
  const out = new Map();
  for (const row of all.rows) out.set(row.id, canonical(row.doc));
  return out;
}

function compare(what, expected, actual) {
  const problems = [];
  for (const [id, doc] of expected) {
    if (!actual.has(id)) problems.push(`${what}: ${id} missing`);
    else if (actual.get(id) !== doc) problems.push(`${what}: ${id} differs:\n  ${doc}\n  ${actual.get(id)}`);
  }
  for (const id of actual.keys()) if (!expected.has(id)) problems.push(`${what}: ${id} not expected`);
  return problems;
}

const health = (dbUrl) => dbUrl.replace(/\/[^/]*\/?$/, '') + '/_ow/health';

// Resolves once `test` holds, looked at every 20 ms; rejects after `ms`.
function until(what, test, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const look = async () => {
      try {
        if (await test()) return resolve();
      } catch (e) {
        return reject(e);
      }
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(look, 20);
    };
    look();
  });
}

async function main() {
  const [sourceUrl, targetUrl] = process.argv.slice(2);
  if (!sourceUrl || !targetUrl) {
    console.error('usage: node replicate.js SOURCE_URL TARGET_URL');
    process.exit(2);
  }
  const source = new PouchDB(sourceUrl, { skip_setup: true });
  const target = new PouchDB(targetUrl, { skip_setup: true });
  const local = new PouchDB('interop-' + process.pid, { adapter: 'memory' });

  // A live listener on the target from 'now', waiting before the push begins (the
  // node counts the longpolls waiting on it).
  const heard = new Set();
  const listener = target.changes({ since: 'now', live: true, timeout: 10000 });
  listener.on('change', (c) => heard.add(c.id));
  listener.on('error', (e) => console.error('live listener:', e && (e.message || JSON.stringify(e))));
  await until('the live listener to wait on the target', async () => {
    const r = await fetch(health(targetUrl));
    return (await r.json()).http.longpolls_waiting >= 1;
  }, 30000);

  const t0 = Date.now();
  const pulled = await PouchDB.replicate(source, local, { batch_size: 500 });
  const t1 = Date.now();
  const pushed = await PouchDB.replicate(local, target, { batch_size: 500 });
  const t2 = Date.now();
  // Again: nothing new to move either way.
  const again = await PouchDB.replicate(source, local);
  const againPush = await PouchDB.replicate(local, target);

  let live = true;
  try {
    await until('the live listener to hear every pushed document', () => heard.size >= pushed.docs_written, 30000);
  } catch (e) {
    live = false;
  }
  listener.cancel();

  // Three of the source's last changes by id: most pages of 50 hold none of them.
  const feed = await source.changes({ since: 0 });
  const picked = feed.results.slice(-3).map((r) => r.id);
  const subset = new PouchDB('interop-picked-' + process.pid, { adapter: 'memory' });
  const filtered = await PouchDB.replicate(source, subset, { doc_ids: picked, batch_size: 50 });
  const inSubset = await documentsOf(subset);

  const fromSource = await documentsOf(source);
  const inPouch = await documentsOf(local);
  const inTarget = await documentsOf(target);
  const problems = [
    ...compare('PouchDB after the pull', fromSource, inPouch),
    ...compare('the target after the push', inPouch, inTarget),
  ];
  if (pulled.docs_written !== fromSource.size) problems.push(`pulled ${pulled.docs_written} of ${fromSource.size}`);
  if (again.docs_written !== 0 || againPush.docs_written !== 0) problems.push('a second replication moved documents');
  if (pushed.doc_write_failures > 0 || pulled.doc_write_failures > 0) problems.push('documents failed to write');
  if (!live) problems.push(`the live listener heard ${heard.size} of ${pushed.docs_written} pushed documents`);
  const expectedSubset = new Map(picked.map((id) => [id, fromSource.get(id)]));
  problems.push(...compare('the doc_ids replication', expectedSubset, inSubset));
  if (filtered.docs_written !== 3) problems.push(`the doc_ids replication wrote ${filtered.docs_written} of 3`);
  console.log(JSON.stringify({
    documents: fromSource.size, pulled: pulled.docs_written, pushed: pushed.docs_written,
    pull_ms: t1 - t0, push_ms: t2 - t1, heard_live: heard.size, by_doc_ids: filtered.docs_written,
    identical: problems.length === 0,
  }));
  for (const p of problems.slice(0, 20)) console.error(p);
  process.exit(problems.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error('replication failed:', e && (e.stack || e.message || JSON.stringify(e)));
  process.exit(2);
});
