// The baseline of ow_bench_centre_sync: PouchDB replicating the same event documents to
// express-pouchdb (express 4), both on the memory adapter, as a CouchDB-protocol peer
// nobody here wrote would do it. Not timed: every document of SOURCE (a running onewindowd's
// database URL) is read through its _changes feed and loaded into an in-memory PouchDB
// with new_edits:false, as they are; an express-pouchdb server with an empty memory
// database is started in a child process of its own on a loopback port (the replicator and
// the server each get a process, as the two onewindowd do). Timed: one
// PouchDB.replicate(local, remote, {batch_size}) until it has written every document.
// Usage: node pouch_sync_baseline.js INTEROP_DIR SOURCE_DB_URL BATCH_SIZE
//   INTEROP_DIR: tests/interop, whose node_modules hold pouchdb-node, pouchdb-adapter-memory,
//                express-pouchdb and express (npm ci there)
// Prints one JSON line: {"documents":N,"written":N,"ms":T,"batch_size":B}; exits 1 when
// not every document arrived, 2 on a usage or network error.
'use strict';
const path = require('path');
const { createRequire } = require('module');
const { fork } = require('child_process');

const interop = path.resolve(process.argv[2] || '.');
const need = createRequire(path.join(interop, 'package.json'));
const PouchDB = need('pouchdb-node');
PouchDB.plugin(need('pouchdb-adapter-memory'));
const MemoryPouchDB = PouchDB.defaults({ adapter: 'memory' });

// The child: express-pouchdb serving memory databases on a free loopback port.
function serve() {
  const express = need('express');
  const app = express();
  app.use('/', need('express-pouchdb')(MemoryPouchDB, { mode: 'minimumForPouchDB' }));
  const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', async (m) => {
    if (m === 'count') {
      const info = await new MemoryPouchDB('target').info();
      process.send({ count: info.doc_count });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

async function readAll(sourceUrl) {
  const docs = [];
  let since = 0;
  for (;;) {
    const res = await fetch(`${sourceUrl}/_changes?include_docs=true&limit=10000&since=${since}`);
    if (!res.ok) throw new Error(`GET _changes: ${res.status}`);
    const page = await res.json();
    for (const row of page.results) docs.push(row.doc);
    if (page.results.length === 0) break;
    since = page.last_seq;
  }
  return docs;
}

function ask(child, message, key) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (m && key in m) {
        child.off('message', on);
        resolve(m[key]);
      }
    };
    child.on('message', on);
    if (message) child.send(message);
  });
}

async function main() {
  const [, , , sourceUrl, batchText] = process.argv;
  const batchSize = Number(batchText);
  if (!sourceUrl || !(batchSize > 0)) {
    console.error('usage: node pouch_sync_baseline.js INTEROP_DIR SOURCE_DB_URL BATCH_SIZE');
    process.exit(2);
  }
  const docs = await readAll(sourceUrl);
  const local = new MemoryPouchDB('bench-source-' + process.pid);
  for (let i = 0; i < docs.length; i += 5000) {
    const results = await local.bulkDocs(docs.slice(i, i + 5000), { new_edits: false });
    if (results.some((r) => r.error)) throw new Error('loading the documents into PouchDB failed');
  }
  const loaded = (await local.info()).doc_count;
  if (loaded !== docs.length) throw new Error(`PouchDB holds ${loaded} of ${docs.length} documents`);

  const child = fork(__filename, [interop, '--serve'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await ask(child, null, 'port');
  const remote = new PouchDB(`http://127.0.0.1:${port}/target`);
  await remote.info(); // created before the clock starts

  const t0 = process.hrtime.bigint();
  const result = await PouchDB.replicate(local, remote, { batch_size: batchSize, batches_limit: 10 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;

  const count = await ask(child, 'count', 'count');
  child.disconnect();
  const ok = result.ok && result.docs_written === docs.length && count === docs.length;
  console.log(JSON.stringify({ documents: docs.length, written: result.docs_written, held: count, ms, batch_size: batchSize }));
  process.exit(ok ? 0 : 1);
}

if (process.argv[3] === '--serve') {
  serve();
} else {
  main().catch((e) => {
    console.error('pouch_sync_baseline:', e && (e.stack || e.message || JSON.stringify(e)));
    process.exit(2);
  });
}
