"use strict";
// The project's compatibility layer over @vercel/cosmosdb-server 1.0.1.
//
// The package's own request handler (lib/index.js generateRequestHandler) is not exported, and it is the
// part that sends `Connection: close` and turns thrown errors into 500s. So this module is the request
// handler: it answers the document requests the package gets wrong for the .NET SDK (Gateway mode) and
// hands everything else to the package's exported route table (lib/routes.js) unchanged.
//
// Answered here:
//   GET    .../docs/{id}                  point read: 404 with a Cosmos error body (the package throws -> 500)
//   POST   .../docs  + query-plan header  a PartitionedQueryExecutionInfo (the package has none)
//   POST   .../docs  + isquery            query, restricted to the partition key header when one is sent
//   GET    .../docs  + A-IM               incremental change feed by LSN (the package returns all, then 304)
// Around every request: TTL expiry of the collection touched, Cosmos-shaped error bodies, keep-alive.

const crypto = require("crypto");
const { URL } = require("url");

const routes = require("@vercel/cosmosdb-server/lib/routes").default;
const cosmosQuery = require("@zeit/cosmosdb-query");
const { documentsOf } = require("./store");

// COSMOS_EMULATOR_TRACE=<file> appends one line per request (method, path, protocol headers, status, body sizes, charge).
const TRACE = process.env.COSMOS_EMULATOR_TRACE;

const DOCS_PATH = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs(?:\/([^/]+))?$/;

const ERROR_CODES = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  412: "PreconditionFailed",
  413: "RequestEntityTooLarge",
  500: "InternalServerError"
};

const ERROR_MESSAGES = {
  404: "Resource Not Found. Learn more: https://aka.ms/cosmosdb-tsg-not-found",
  409: "Resource with specified id or name already exists.",
  412: "Operation cannot be performed because one of the specified precondition is not met."
};

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function isTrue(req, name) {
  const v = req.headers[name];
  return typeof v === "string" && v.toLowerCase() === "true";
}

function normalisePath(url) {
  let { pathname } = new URL(url, "https://localhost");
  if (pathname.startsWith("//")) pathname = pathname.slice(1);
  while (pathname.length > 1 && pathname.endsWith("/")) pathname = pathname.slice(0, -1);
  return pathname;
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : {};
  } catch (err) {
    throw new HttpError(400, `The request body is not valid JSON: ${err.message}`);
  }
}

function maxItemCount(req) {
  const n = parseInt(req.headers["x-ms-max-item-count"], 10);
  return Number.isFinite(n) && n > 0 ? n : undefined; // -1 (and absent) mean "server decides": all
}

// ---- partition keys -------------------------------------------------------------------------------

function partitionKeyPath(coll) {
  const paths = ((coll.read() || {}).partitionKey || {}).paths || ["/id"];
  return paths[0].slice(1).split("/");
}

function valueAt(doc, keys) {
  return keys.reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), doc);
}

/**
 * The partition key value a request targets, or `undefined` when it targets none. The SDK sends
 * `["value"]`; `[{}]` is PartitionKey.None (documents without the property), `[null]` is PartitionKey.Null.
 */
function requestedPartition(req) {
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (!header) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(header);
  } catch (err) {
    throw new HttpError(400, `Invalid x-ms-documentdb-partitionkey header: ${header}`);
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  if (parsed.length === 0) return undefined;
  if (parsed.length > 1) throw new HttpError(400, "Hierarchical partition keys are not supported by this emulator.");
  const [value] = parsed;
  return { none: value !== null && typeof value === "object", value };
}

function inPartition(doc, keys, partition) {
  const v = valueAt(doc, keys);
  if (partition.none) return v === undefined;
  return v === partition.value;
}

// ---- TTL ------------------------------------------------------------------------------------------

/** Seconds since the epoch at which a document expires, or Infinity. Mirrors Cosmos' rules. */
function expiresAt(collData, doc) {
  const defaultTtl = collData.defaultTtl;
  if (defaultTtl === undefined || defaultTtl === null) return Infinity; // TTL off: item ttl is ignored
  const ttl = typeof doc.ttl === "number" ? doc.ttl : defaultTtl;
  if (ttl === -1 || ttl <= 0) return Infinity;
  return doc._ts + ttl;
}

/** Deletes the collection's expired documents; returns how many went. */
function sweepCollection(coll, nowSeconds = Date.now() / 1000) {
  const collData = coll.read();
  if (!collData || collData.defaultTtl === undefined || collData.defaultTtl === null) return 0;
  let removed = 0;
  for (const doc of documentsOf(coll)) {
    if (expiresAt(collData, doc) <= nowSeconds) {
      coll.documents.delete(doc._rid); // the package resolves a _rid as well as an id
      removed += 1;
    }
  }
  return removed;
}

// ---- the document operations answered here --------------------------------------------------------

function pointRead(coll, req, res, docId) {
  const partition = requestedPartition(req);
  const keys = partitionKeyPath(coll);
  const doc = documentsOf(coll).find(
    d => d.id === docId && (partition === undefined || inPartition(d, keys, partition))
  );
  if (!doc) throw new HttpError(404);
  if (req.headers["if-none-match"] && req.headers["if-none-match"] === doc._etag) {
    res.statusCode = 304;
    return undefined;
  }
  return doc;
}

// The .NET SDK outside Windows cannot build a query plan itself and asks the gateway for one. This
// emulator has exactly one physical partition ("0", the whole hash range) and its query engine
// evaluates ORDER BY, TOP, OFFSET/LIMIT, DISTINCT, GROUP BY and aggregates over the whole result. So
// the plan we hand back says "nothing to do client-side, send the query as is to the whole range": the
// SDK then runs it as a pass-through query against range 0 and pages with our continuation tokens.
function queryPlan(body) {
  if (!body.query) throw new HttpError(400, "The query is missing.");
  try {
    cosmosQuery.default(splitQuery(body).query);
  } catch (err) {
    throw new HttpError(400, `Syntax error: ${err.message}`);
  }
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: "None",
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: "",
      hasSelectValue: false,
      hasNonStreamingOrderBy: false
    },
    queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
  };
}

function byRid(a, b) {
  if (a._rid === b._rid) return 0;
  return a._rid < b._rid ? -1 : 1;
}

// @zeit/cosmosdb-query 0.7.2 has neither DISTINCT nor OFFSET/LIMIT. Both have fixed places in Cosmos SQL
// (`SELECT DISTINCT [TOP n]` first, `OFFSET .. LIMIT ..` last), so we cut them off, run the rest, and apply
// them here to the fully evaluated, ordered result; the continuation is then a position in that result.
const DISTINCT = /^\s*SELECT\s+DISTINCT\s+(?:TOP\s+(@\w+|\d+)\s+)?/i;
const OFFSET_LIMIT = /\s+OFFSET\s+(@\w+|\d+)\s+LIMIT\s+(@\w+|\d+)\s*$/i;

function splitQuery(body) {
  const valueOf = token => {
    const v = token.startsWith("@") ? ((body.parameters || []).find(p => p.name === token) || {}).value : Number(token);
    if (!Number.isInteger(v) || v < 0) throw new HttpError(400, `TOP, OFFSET and LIMIT need non-negative integers (${token}).`);
    return v;
  };
  let sql = body.query;
  let window = null;
  const tail = OFFSET_LIMIT.exec(sql);
  if (tail) {
    sql = sql.slice(0, tail.index);
    window = { offset: valueOf(tail[1]), limit: valueOf(tail[2]) };
  }
  let distinct = null;
  const head = DISTINCT.exec(sql);
  if (head) {
    sql = `SELECT ${sql.slice(head[0].length)}`;
    distinct = { top: head[1] === undefined ? Infinity : valueOf(head[1]) }; // TOP counts distinct rows
  }
  return { query: sql, distinct, window };
}

// Key for DISTINCT: JSON with object keys sorted, so {a,b} and {b,a} are the same value.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value === undefined ? null : value);
}

function distinctRows(rows) {
  const seen = new Set();
  return rows.filter(row => {
    const key = canonical(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function parseContinuation(req) {
  const header = req.headers["x-ms-continuation"];
  if (!header) return null;
  try {
    return JSON.parse(header);
  } catch (err) {
    throw new HttpError(400, "Invalid continuation token.");
  }
}

function query(coll, req, res, body) {
  if (!body.query) throw new HttpError(400, "The query is missing.");
  const partition = requestedPartition(req);
  const keys = partitionKeyPath(coll);
  let docs = documentsOf(coll);
  // A query sent with a partition key sees that partition only, whatever its WHERE clause says.
  if (partition !== undefined) docs = docs.filter(d => inPartition(d, keys, partition));
  // The query engine pages by _rid and assumes its input is in _rid order (the Map keeps insertion
  // order, and a replace re-inserts), so sort it or continuation tokens would skip or repeat items.
  docs.sort(byRid);

  const { query: sql, distinct, window } = splitQuery(body);
  const continuation = parseContinuation(req);
  const pageSize = maxItemCount(req);
  const collData = coll.read();
  const run = options => {
    try {
      return coll.documents._getQuery(sql).exec(docs, {
        parameters: body.parameters,
        udf: coll.userDefinedFunctions.functions,
        compositeIndexes: (collData.indexingPolicy || {}).compositeIndexes || [],
        ...options
      });
    } catch (err) {
      throw new HttpError(400, err.message);
    }
  };

  let rows;
  if (distinct || window) {
    let all = run({}).result;
    if (distinct) all = distinctRows(all).slice(0, distinct.top);
    if (window) all = all.slice(window.offset, window.offset + window.limit);
    const start = (continuation && continuation.position) || 0;
    rows = all.slice(start, pageSize ? start + pageSize : undefined);
    const next = start + rows.length;
    if (next < all.length) res.setHeader("x-ms-continuation", JSON.stringify({ position: next }));
  } else {
    const result = run({ maxItemCount: pageSize, continuation });
    rows = result.result;
    if (result.continuation) res.setHeader("x-ms-continuation", JSON.stringify(result.continuation));
  }
  res.setHeader("x-ms-item-count", String(rows.length));
  return { _rid: collData._rid, Documents: rows, _count: rows.length };
}

const lsnOf = etag => {
  const n = parseInt(String(etag).replace(/"/g, ""), 10);
  return Number.isFinite(n) ? n : 0;
};

// Incremental ("latest version") change feed. The continuation is the ETag we return: the LSN up to which
// the caller has seen changes. Each document appears once, at its latest version, ordered by LSN.
function changeFeed(coll, req, res, clock) {
  if (String(req.headers["a-im"]).toLowerCase() !== "incremental feed") {
    throw new HttpError(400, "Only the incremental (latest version) change feed is supported by this emulator.");
  }
  const ifNoneMatch = req.headers["if-none-match"];
  // No If-None-Match: from the beginning; "*": from now; otherwise: after the LSN in the ETag.
  const after = !ifNoneMatch ? 0 : ifNoneMatch === "*" ? clock.lsn : lsnOf(ifNoneMatch);
  const since = req.headers["if-modified-since"] ? Date.parse(req.headers["if-modified-since"]) / 1000 : -Infinity;
  const partition = requestedPartition(req);
  const keys = partitionKeyPath(coll);
  const changes = documentsOf(coll)
    .filter(d => d._lsn > after && d._ts >= Math.floor(since))
    .filter(d => partition === undefined || inPartition(d, keys, partition))
    .sort((a, b) => a._lsn - b._lsn);
  const page = changes.slice(0, maxItemCount(req) || changes.length);
  // Partial page: resume after its last item. Whole backlog read: resume after everything so far.
  const next = page.length < changes.length ? page[page.length - 1]._lsn : Math.max(after, clock.lsn);
  res.setHeader("etag", `"${next}"`);
  res.setHeader("x-ms-item-count", String(page.length)); // the SDK parses it on 304 too
  if (page.length === 0) {
    res.statusCode = 304;
    return undefined;
  }
  return { _rid: coll.read()._rid, Documents: page, _count: page.length };
}

/**
 * Handles a request under /dbs/{db}/colls/{coll}/docs when this layer owns it; returns
 * `{ handled: false }` to let the package answer.
 */
async function handleDocuments(account, clock, req, res, [, dbId, collId, docId]) {
  const coll = account.database(dbId).collection(collId);
  if (!coll.read()) throw new HttpError(404, "Owner resource does not exist");
  // Lazy TTL: an expired document must never be seen, even between periodic sweeps.
  const expired = sweepCollection(coll);

  const { method } = req;
  if (method === "GET" && docId) return { handled: true, body: pointRead(coll, req, res, docId), expired };
  if (method === "GET" && req.headers["a-im"]) return { handled: true, body: changeFeed(coll, req, res, clock), expired };
  if (method === "POST" && isTrue(req, "x-ms-cosmos-is-query-plan-request")) {
    return { handled: true, body: queryPlan(await readJson(req)), expired };
  }
  if (
    method === "POST" &&
    (isTrue(req, "x-ms-documentdb-isquery") || req.headers["content-type"] === "application/query+json")
  ) {
    return { handled: true, body: query(coll, req, res, await readJson(req)), expired };
  }
  if (method === "POST" && isTrue(req, "x-ms-cosmos-is-batch-request")) {
    throw new HttpError(400, "TransactionalBatch is not supported by this emulator.");
  }
  return { handled: false, expired };
}

function errorBody(status, message) {
  const text = message || ERROR_MESSAGES[status] || "";
  return {
    code: ERROR_CODES[status] || "Error",
    message: `Message: ${JSON.stringify({ Errors: [text] })}`
  };
}

/**
 * Creates the request handler. `onWrite` is called after every successful mutating request (so the
 * caller can persist), with `expired` counting TTL deletions too.
 */
function createRequestHandler({ getAccount, clock, onWrite }) {
  return (req, res) => {
    (async () => {
      const account = getAccount();
      const pathname = normalisePath(req.url);
      let body;
      let mutated = false;
      try {
        const docs = DOCS_PATH.exec(pathname);
        const ours = docs ? await handleDocuments(account, clock, req, res, docs) : { handled: false };
        mutated = ours.expired > 0;
        if (ours.handled) {
          body = ours.body;
        } else {
          const route = routes(req);
          if (!route) throw new HttpError(400, `No route for ${req.method} ${pathname}`);
          const [params, handler] = route;
          body = await handler(account, req, res, params);
          const isRead = req.method === "GET" || isTrue(req, "x-ms-documentdb-isquery");
          if (!isRead && res.statusCode < 400) mutated = true;
        }
      } catch (err) {
        if (!(err instanceof HttpError)) console.error(err); // eslint-disable-line no-console
        res.statusCode = err instanceof HttpError ? err.status : 500;
        body = { message: err.message };
      }
      if (res.statusCode >= 400) {
        body = errorBody(res.statusCode, body && body.message);
        res.setHeader("x-ms-substatus", "0");
      }
      if (mutated) onWrite();

      if (body && body._etag && !res.hasHeader("etag")) res.setHeader("etag", body._etag);
      // The package's pkranges feed: 304 for a caller that already has the (single, fixed) range.
      if (req.headers["a-im"] && !DOCS_PATH.test(pathname) && res.statusCode === 200) {
        if (req.headers["if-none-match"]) res.statusCode = 304;
        res.setHeader("etag", '"1"');
      }
      res.setHeader("content-type", "application/json");
      res.setHeader("x-ms-activity-id", crypto.randomUUID());
      res.setHeader("x-ms-request-charge", "1");
      // No `Connection` header: Node keeps the connection alive, so the SDK reuses its TLS session.
      if (TRACE) {
        const h = Object.entries(req.headers).filter(([k]) => k.startsWith("x-ms-") || ["a-im", "if-none-match", "if-match", "content-type"].includes(k));
        // Body sizes and the reported charge: what tests/Ndhm.Benchmarks `capacity-ru` models request units from.
        const sizes = `req=${Number(req.headers["content-length"]) || 0} res=${body === undefined ? 0 : Buffer.byteLength(JSON.stringify(body))}`;
        const line = `${req.method} ${req.url} -> ${res.statusCode} ${JSON.stringify(Object.fromEntries(h))} etag=${res.getHeader("etag")} ${sizes} charge=${res.getHeader("x-ms-request-charge")}`;
        require("fs").appendFileSync(TRACE, `${line}\n`); // eslint-disable-line global-require
      }
      res.end(body === undefined || res.statusCode === 304 || res.statusCode === 204 ? undefined : JSON.stringify(body));
    })().catch(err => {
      console.error(err); // eslint-disable-line no-console
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}

module.exports = { createRequestHandler, sweepCollection };
