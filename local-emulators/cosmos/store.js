"use strict";
// Persistence and change-feed bookkeeping for the in-memory account of @vercel/cosmosdb-server.
//
// The package keeps everything in Maps inside its Account object. We keep using those objects (so every
// package handler keeps working) and only add:
//   - a global, monotonically increasing log sequence number stamped on each document write as `_lsn`
//     (the change feed reads "everything after LSN n"; real Cosmos also exposes `_lsn`);
//   - a snapshot of the whole account written to <data-dir>/cosmos-state.json, atomically and debounced.
//
// One documented monkey-patch: Documents.prototype._set (the single funnel every document write goes
// through: create, replace, upsert, patch and the package's batch) is wrapped to stamp `_lsn`.

const fs = require("fs");
const path = require("path");

const Items = require("@vercel/cosmosdb-server/lib/account/items").default;
const Documents = require("@vercel/cosmosdb-server/lib/account/documents").default;

const STATE_FILE = "cosmos-state.json";
const SNAPSHOT_VERSION = 1;

const clock = { lsn: 0 };

const originalSet = Items.prototype._set;
Documents.prototype._set = function stampLsn(data) {
  clock.lsn += 1;
  // The package stores (and returns) this very object, so the stamp is visible in responses too.
  // eslint-disable-next-line no-param-reassign
  data._lsn = clock.lsn;
  return originalSet.call(this, data);
};

/** Every live (database, collection) pair of the account. */
function* collections(account) {
  for (const db of account.databases._data.values()) {
    for (const coll of db.collections._data.values()) {
      yield coll;
    }
  }
}

function documentsOf(coll) {
  return [...coll.documents._data.values()].map(item => item.read());
}

function snapshot(account) {
  return {
    version: SNAPSHOT_VERSION,
    lsn: clock.lsn,
    databasesRidCount: account.databases._ridCount,
    databases: [...account.databases._data.values()].map(db => ({
      data: db.read(),
      collectionsRidCount: db.collections._ridCount,
      collections: [...db.collections._data.values()].map(coll => ({
        data: coll.read(),
        documentsRidCount: coll.documents._ridCount,
        documents: documentsOf(coll),
        udfsRidCount: coll.userDefinedFunctions._ridCount,
        udfs: [...coll.userDefinedFunctions._data.values()].map(u => u.read())
      }))
    }))
  };
}

// Restores through the base Items._set so stored _rid, _etag, _ts and _lsn are kept byte for byte:
// an ETag a client holds from before a restart must still match (or still fail to match) afterwards.
function restore(account, snap) {
  if (snap.version !== SNAPSHOT_VERSION) {
    throw new Error(`unsupported snapshot version ${snap.version}`);
  }
  clock.lsn = snap.lsn;
  account.databases._ridCount = snap.databasesRidCount;
  for (const db of snap.databases) {
    originalSet.call(account.databases, db.data);
    const database = account.databases._data.get(db.data._rid);
    database.collections._ridCount = db.collectionsRidCount;
    for (const c of db.collections) {
      database.collections._set(c.data); // Collections._set only normalises the indexing policy
      const coll = database.collections._data.get(c.data._rid);
      coll.documents._ridCount = c.documentsRidCount;
      c.documents.forEach(d => originalSet.call(coll.documents, d));
      coll.userDefinedFunctions._ridCount = c.udfsRidCount;
      for (const u of c.udfs) {
        originalSet.call(coll.userDefinedFunctions, u);
        // Same evaluation the package does when a UDF is created.
        // eslint-disable-next-line no-new-func
        coll.userDefinedFunctions.functions[u.id] = new Function(`"use strict";return (${u.body})`)();
      }
    }
  }
}

/**
 * Keeps <dataDir>/cosmos-state.json in step with the account: markDirty() after each write schedules a
 * flush (debounced so a burst of writes costs one file write, bounded so a steady stream still lands on
 * disk), flushSync() on shutdown.
 */
class Persistence {
  constructor(dataDir, { debounceMs = 200, maxDelayMs = 2000 } = {}) {
    this.file = path.join(dataDir, STATE_FILE);
    this.debounceMs = debounceMs;
    this.maxDelayMs = maxDelayMs;
    this.timer = null;
    this.firstDirtyAt = 0;
    this.account = null;
  }

  load(account) {
    this.account = account;
    if (!fs.existsSync(this.file)) return 0;
    const snap = JSON.parse(fs.readFileSync(this.file, "utf8"));
    restore(account, snap);
    return snap.databases.length;
  }

  markDirty() {
    const now = Date.now();
    if (!this.timer) this.firstDirtyAt = now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstDirtyAt + this.maxDelayMs - now));
    this.timer = setTimeout(() => this.flushSync(), wait);
  }

  flushSync() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.account) return;
    // temp file + fsync + rename: a crash mid-write leaves the previous snapshot intact.
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, JSON.stringify(snapshot(this.account)));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }

  get pending() {
    return this.timer !== null;
  }
}

module.exports = { Persistence, collections, documentsOf, clock };
