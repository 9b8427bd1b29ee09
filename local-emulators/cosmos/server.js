#!/usr/bin/env node
"use strict";
// Local Cosmos DB emulator for NdhmFunctions: @vercel/cosmosdb-server's data model and query engine,
// behind the project's compatibility layer (compat.js) and persistence (store.js). See README.md.
//
//   node local-emulators/cosmos/server.js --port 8081 --host 127.0.0.1 --data-dir <dir>

const fs = require("fs");
const https = require("https");
const path = require("path");

const { Persistence, collections, clock } = require("./store"); // first: installs the _lsn stamp
const Account = require("@vercel/cosmosdb-server/lib/account").default;
const { createRequestHandler, sweepCollection } = require("./compat");
const { loadOrCreateCertificate } = require("./cert");

const SWEEP_INTERVAL_MS = 1000;

function parseArgs(argv) {
  const args = { port: 8081, host: "127.0.0.1", dataDir: null };
  for (let i = 0; i < argv.length; i += 1) {
    const next = () => {
      if (i + 1 >= argv.length) fail(`missing value for ${argv[i]}`);
      i += 1;
      return argv[i];
    };
    switch (argv[i]) {
      case "--port":
        args.port = parseInt(next(), 10);
        break;
      case "--host":
        args.host = next();
        break;
      case "--data-dir":
        args.dataDir = path.resolve(next());
        break;
      case "-h":
      case "--help":
        console.log("usage: node server.js --port 8081 --host 127.0.0.1 --data-dir <dir>");
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${argv[i]}`);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) fail("--port must be 0-65535");
  if (!args.dataDir) fail("--data-dir is required (the emulator persists its data there)");
  return args;
}

function fail(message) {
  console.error(`cosmos emulator: ${message}`);
  process.exit(1);
}

const args = parseArgs(process.argv.slice(2));
fs.mkdirSync(args.dataDir, { recursive: true });

const persistence = new Persistence(args.dataDir);
let account = null;

const server = https.createServer(
  {
    ...loadOrCreateCertificate(args.dataDir, args.host),
    // Longer than .NET's pooled-connection idle timeout (1 min), so the client, not the server, retires
    // idle connections and never sends a request on a socket the server is closing.
    keepAliveTimeout: 120000
  },
  createRequestHandler({ getAccount: () => account, clock, onWrite: () => persistence.markDirty() })
);
server.headersTimeout = 125000;

server.on("error", err => {
  if (err.code === "EADDRINUSE") fail(`port ${args.port} on ${args.host} is already in use`);
  fail(err.message);
});

server.listen(args.port, args.host, () => {
  const { port } = server.address();
  // Created here because the account document advertises its own endpoint (host and bound port).
  // Nothing is served before this synchronous callback returns.
  account = new Account(args.host === "0.0.0.0" || args.host === "::" ? "localhost" : args.host, port);
  let databases;
  try {
    databases = persistence.load(account);
  } catch (err) {
    fail(`cannot load ${persistence.file}: ${err.message}`);
  }
  // Periodic TTL sweep, so expired documents also leave the change feed and the snapshot.
  setInterval(() => {
    let removed = 0;
    for (const coll of collections(account)) removed += sweepCollection(coll);
    if (removed > 0) persistence.markDirty();
  }, SWEEP_INTERVAL_MS).unref();
  const shownHost = args.host.includes(":") ? `[${args.host}]` : args.host;
  console.log(`cosmos emulator listening on https://${shownHost}:${port} (data: ${args.dataDir}, ${databases} database(s) restored)`);
});

function shutdown(signal) {
  try {
    persistence.flushSync();
  } catch (err) {
    console.error(`cosmos emulator: flush on ${signal} failed: ${err.message}`);
    process.exit(1);
  }
  console.log(`cosmos emulator stopped on ${signal}, data flushed to ${persistence.file}`);
  process.exit(0);
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
