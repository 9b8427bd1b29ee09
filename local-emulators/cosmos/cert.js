"use strict";
// The TLS certificate of the emulator. The package bundles one, but it expired in January 2021, so we
// make our own self-signed certificate on first start and keep it in the data directory (stable across
// restarts). Node's crypto makes the RSA key (fast, native); `selfsigned` only wraps it in an X.509 cert.

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

function loadOrCreateCertificate(dataDir, host) {
  const certFile = path.join(dataDir, "cert.pem");
  const keyFile = path.join(dataDir, "key.pem");
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
  }
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" }
  });
  const altNames = [
    { type: 2, value: "localhost" },
    { type: 7, ip: "127.0.0.1" },
    { type: 7, ip: "::1" }
  ];
  if (host && !["localhost", "127.0.0.1", "::1", "0.0.0.0", "::"].includes(host)) {
    altNames.push(/^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  // Loaded only here: first start of a data directory.
  // eslint-disable-next-line global-require
  const pems = require("selfsigned").generate([{ name: "commonName", value: "localhost" }], {
    keyPair: { privateKey, publicKey },
    days: 3650,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames }
    ]
  });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(certFile, pems.cert);
  return { cert: pems.cert, key: pems.private };
}

module.exports = { loadOrCreateCertificate };
