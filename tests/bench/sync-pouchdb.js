// SPDX-License-Identifier: GPL-3.0-or-later
// The PouchDB side of tests/bench/sync, with the npm modules of the sync
// interop tests (tests/sync/node_modules).
//
//   node sync-pouchdb.js seed URL N
//     Creates the database URL if needed and writes N documents of about
//     1 KB (ids doc-000000 …, fixed revisions) with _bulk_docs new_edits=false.
//   node sync-pouchdb.js pull URL [USER PASSWORD]
//     PouchDB's own replicator, with its defaults, pulls URL into an empty
//     in-memory database. Prints one JSON line: ms (the replication only, not
//     node's start or module loading), docs_written, peak_rss_kib.
'use strict';

const path = require('path');
const crypto = require('crypto');
const modules = path.join(__dirname, '..', 'sync', 'node_modules');

const WORDS = ('buurt wijkraad straat plein feest speeltuin bewoners vergadering ' +
  'subsidie groen bankje boom tegel fiets koffie burendag opruimen kinderen ' +
  'ouderen markt muziek lantaarn stoep hek zwerfvuil vrijwilliger zomer winter ' +
  'activiteit afspraak begroting kas bon uitnodiging buurthuis').split(' ');

// About 1 KB of text that differs per document (so gzip does not make it vanish)
function text (i) {
  let x = (i * 2654435761) >>> 0;
  const out = [];
  let len = 0;
  while (len < 900) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = WORDS[(x >>> 16) % WORDS.length];
    out.push(w);
    len += w.length + 1;
  }
  return out.join(' ');
}

function doc (i) {
  const hash = crypto.createHash('md5').update(String(i)).digest('hex');
  return {
    _id: 'doc-' + String(i).padStart(6, '0'),
    _rev: '1-' + hash,
    _revisions: { start: 1, ids: [hash] },
    type: 'practice',
    title: 'Praktijkvoorbeeld ' + i,
    theme: WORDS[i % WORDS.length],
    body: text(i),
  };
}

async function seed (url, n) {
  const put = await fetch(url, { method: 'PUT' });
  if (put.status !== 201 && put.status !== 412)
    throw new Error(`PUT ${url}: ${put.status} ${await put.text()}`);
  for (let start = 0; start < n; start += 500) {
    const docs = [];
    for (let i = start; i < Math.min(n, start + 500); i++)
      docs.push(doc(i));
    const res = await fetch(url + '/_bulk_docs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ new_edits: false, docs }),
    });
    if (res.status !== 201)
      throw new Error(`_bulk_docs: ${res.status} ${await res.text()}`);
  }
}

async function pull (url, user, password) {
  const PouchDB = require(path.join(modules, 'pouchdb-core'))
    .plugin(require(path.join(modules, 'pouchdb-adapter-memory')))
    .plugin(require(path.join(modules, 'pouchdb-adapter-http')))
    .plugin(require(path.join(modules, 'pouchdb-replication')));
  const opts = { skip_setup: true };
  if (user)
    opts.auth = { username: user, password };
  const local = new PouchDB('bench-' + process.pid, { adapter: 'memory' });
  const remote = new PouchDB(url, opts);

  const start = process.hrtime.bigint();
  const result = await local.replicate.from(remote);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(JSON.stringify({
    ms: Math.round(ms),
    docs_written: result.docs_written,
    peak_rss_kib: process.resourceUsage().maxRSS,
  }));
}

async function main () {
  const [verb, url, arg1, arg2] = process.argv.slice(2);
  if (verb === 'seed')
    await seed(url, parseInt(arg1, 10));
  else if (verb === 'pull')
    await pull(url, arg1, arg2);
  else
    throw new Error('usage: sync-pouchdb.js seed URL N | pull URL [USER PASSWORD]');
}

main().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
