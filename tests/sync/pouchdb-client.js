// SPDX-License-Identifier: GPL-3.0-or-later
// PouchDB (pouchdb-core with the memory and http adapters and its own
// replicator) as a CLIENT of `buurtboek-cli serve`: pulls from it and pushes
// to it documents with attachments, a deletion and a three-leaf conflict, and
// checks that both sides end with the same revision ids, histories, winners
// and conflicts, that a repeated replication transfers nothing and that wrong
// credentials are refused. Prints TAP lines without the plan (the caller
// adds its own checks and the plan).
//
// Usage: node pouchdb-client.js URL USER PASSWORD
'use strict';

const path = require('path');
const modules = path.join(__dirname, 'node_modules');
const PouchDB = require(path.join(modules, 'pouchdb-core'))
  .plugin(require(path.join(modules, 'pouchdb-adapter-memory')))
  .plugin(require(path.join(modules, 'pouchdb-adapter-http')))
  .plugin(require(path.join(modules, 'pouchdb-replication')));

const [url, user, password] = process.argv.slice(2);
let step = 0;
function ok (what) { step++; console.log(`ok ${step} - ${what}`); }
function fail (what) { console.log(`not ok ${step + 1} - ${what}`); process.exit(1); }
function same (a, b, what) {
  const ja = JSON.stringify(a), jb = JSON.stringify(b);
  if (ja !== jb)
    fail(`${what}: PouchDB ${ja} but Buurtboek ${jb}`);
}

// Everything about a document that a replica must agree on
async function state (db, id) {
  const leaves = (await db.get(id, { open_revs: 'all', revs: true }))
    .filter(x => x.ok)
    .map(x => ({ rev: x.ok._rev, deleted: !!x.ok._deleted, revisions: x.ok._revisions }))
    .sort((a, b) => a.rev < b.rev ? -1 : 1);
  let winner = null;
  try {
    const doc = await db.get(id, { conflicts: true });
    winner = { rev: doc._rev, conflicts: (doc._conflicts || []).slice().sort(), title: doc.title };
  } catch (e) {
    if (e.status !== 404)
      throw e;
    winner = { deleted: true };
  }
  return { leaves, winner };
}

async function attachment (db, id, name) {
  const data = await db.getAttachment(id, name);
  return Buffer.from(data).toString('utf8');
}

const b64 = s => Buffer.from(s).toString('base64');

async function main () {
  const local = new PouchDB('local', { adapter: 'memory' });
  const remote = new PouchDB(url, { auth: { username: user, password }, skip_setup: true });

  // Documents on each side, an attachment each way
  await local.put({ _id: 'p1', type: 'practice', title: 'Paaseieren zoeken',
    _attachments: { 'draaiboek.txt': { content_type: 'text/plain', data: b64('Draaiboek pasen') } } });
  await local.put({ _id: 'p2', type: 'template', title: 'Uitnodiging ALV' });
  await local.put({ _id: 'c', type: 'practice', title: 'Koningsdag' });
  await remote.put({ _id: 'b1', type: 'practice', title: 'Burendag',
    _attachments: { 'lijst.txt': { content_type: 'text/plain', data: b64('Boodschappen') } } });
  await remote.put({ _id: 'b2', type: 'rulepack', title: 'Huisregels' });
  ok('seeded a PouchDB memory database and buurtboek-cli serve');

  const push = await local.replicate.to(remote);
  const pull = await local.replicate.from(remote);
  if (push.docs_written !== 3 || pull.docs_written !== 2)
    fail(`first replication wrote ${push.docs_written} up and ${pull.docs_written} down, expected 3 and 2`);
  for (const id of ['p1', 'p2', 'c', 'b1', 'b2'])
    same(await state(local, id), await state(remote, id), `document ${id}`);
  same(await attachment(remote, 'p1', 'draaiboek.txt'), 'Draaiboek pasen', 'attachment p1 on Buurtboek');
  same(await attachment(local, 'b1', 'lijst.txt'), 'Boodschappen', 'attachment b1 in PouchDB');
  ok('PouchDB pushed 3 and pulled 2 documents with attachments, same revisions and histories');

  // A three-leaf conflict on c: one edit in PouchDB, one on Buurtboek, and a
  // third branch as another replica would bring it (new_edits: false)
  const c1 = await local.get('c');
  await local.put({ ...c1, title: 'Koningsdag (Noord)' });
  await remote.put({ ...(await remote.get('c')), title: 'Koningsdag (Zuid)' });
  const start = Number(c1._rev.split('-')[0]);
  await local.bulkDocs([{ _id: 'c', _rev: `${start + 1}-0123456789abcdef0123456789abcdef`,
    _revisions: { start: start + 1, ids: ['0123456789abcdef0123456789abcdef', c1._rev.split('-')[1]] },
    type: 'practice', title: 'Koningsdag (Oost)' }], { new_edits: false });
  // A deletion in PouchDB
  await local.remove(await local.get('p2'));

  await local.replicate.to(remote);
  await local.replicate.from(remote);
  const cl = await state(local, 'c'), cr = await state(remote, 'c');
  same(cl, cr, 'the conflict on c');
  if (cl.leaves.length !== 3 || cl.winner.conflicts.length !== 2)
    fail(`expected three leaves of c, got ${JSON.stringify(cl)}`);
  ok(`the three-leaf conflict has the same leaves, histories and winner on both sides (${cl.winner.rev})`);

  same(await state(local, 'p2'), await state(remote, 'p2'), 'the deleted p2');
  const p2 = await state(remote, 'p2');
  if (!p2.winner.deleted || !p2.leaves[0].deleted)
    fail(`p2 is not deleted on Buurtboek: ${JSON.stringify(p2)}`);
  ok('the deletion arrived on Buurtboek as a tombstone');

  // Nothing to do: nothing moves, either way
  const push2 = await local.replicate.to(remote);
  const pull2 = await local.replicate.from(remote);
  if (push2.docs_written !== 0 || pull2.docs_written !== 0)
    fail(`a repeated replication wrote ${push2.docs_written} up and ${pull2.docs_written} down`);
  ok('a repeated replication transfers nothing (docs_written 0 both ways)');

  // A fresh PouchDB pulls everything again, with the conflict intact
  const fresh = new PouchDB('fresh', { adapter: 'memory' });
  const pull3 = await fresh.replicate.from(remote);
  // each of the three leaves of c is a document written
  if (pull3.docs_written !== 7)
    fail(`a fresh pull wrote ${pull3.docs_written} documents, expected 7 (five, c with three leaves)`);
  for (const id of ['p1', 'p2', 'c', 'b1', 'b2'])
    same(await state(fresh, id), await state(remote, id), `document ${id} in a fresh pull`);
  ok('a fresh PouchDB pulls all five documents with all conflict leaves');

  // Wrong credentials are refused
  const wrong = new PouchDB(url, { auth: { username: user, password: password + '-fout' }, skip_setup: true });
  try {
    await fresh.replicate.from(wrong);
    fail('wrong credentials were accepted');
  } catch (e) {
    if (e.status !== 401)
      fail(`wrong credentials gave ${e.status} ${e}`);
  }
  ok('wrong credentials are refused with 401');

}

main().catch(e => { fail(`${e.status || ''} ${e.name || ''} ${e.message || e}`); });
