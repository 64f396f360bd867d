// PouchDB, a CouchDB-protocol peer nobody here wrote, replicating with onewindowd in both
// directions: everything of SOURCE into an in-memory PouchDB, then all of that into
// TARGET. Every document must arrive unchanged: the same JSON, key for key, on all three.
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

async function main() {
  const [sourceUrl, targetUrl] = process.argv.slice(2);
  if (!sourceUrl || !targetUrl) {
    console.error('usage: node replicate.js SOURCE_URL TARGET_URL');
    process.exit(2);
  }
  const source = new PouchDB(sourceUrl, { skip_setup: true });
  const target = new PouchDB(targetUrl, { skip_setup: true });
  const local = new PouchDB('interop-' + process.pid, { adapter: 'memory' });

  const t0 = Date.now();
  const pulled = await PouchDB.replicate(source, local, { batch_size: 500 });
  const t1 = Date.now();
  const pushed = await PouchDB.replicate(local, target, { batch_size: 500 });
  const t2 = Date.now();
  // Again: nothing new to move either way.
  const again = await PouchDB.replicate(source, local);
  const againPush = await PouchDB.replicate(local, target);

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
  console.log(JSON.stringify({
    documents: fromSource.size, pulled: pulled.docs_written, pushed: pushed.docs_written,
    pull_ms: t1 - t0, push_ms: t2 - t1, identical: problems.length === 0,
  }));
  for (const p of problems.slice(0, 20)) console.error(p);
  process.exit(problems.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error('replication failed:', e && (e.stack || e.message || JSON.stringify(e)));
  process.exit(2);
});
