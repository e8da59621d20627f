// A Helia node (helia 7: Bitswap over TCP + Noise + Yamux, identify, ping; @helia/unixfs 8)
// driven by JSON lines through jsonl.mjs, like peer.mjs (README.md): commands on stdin, one
// JSON reply per line on stdout echoing the command's `id` ({"ok":true,...} or
// {"ok":false,"error":...,"errorName":...}), logs on stderr; the process exits when stdin
// closes.
//
//   node --import ./polyfill.mjs helia-peer.mjs [--listen MULTIADDR]... [--seed-hex HEX]
//
// First line: {"event":"ready","peerId":...,"addrs":[...],"agentVersion":"helia/7.x.y",...}
//
// | command    | fields                          | reply                                        |
// |------------|---------------------------------|----------------------------------------------|
// | info       |                                 | peerId, addrs, protocols                     |
// | dial       | addr (ending in /p2p/<id>)      | peerId, remoteAddr                           |
// | add-file   | mib, seed (default 0)           | cid, sha256 (hex), length, ms                |
// | fetch      | cid, timeoutMs (default 60000)  | file: type, sha256, length, ms;              |
// |            |                                 | directory: type, files [{path, cid, sha256,  |
// |            |                                 | length}], ms                                 |
// | stop       |                                 | nothing more; the process exits              |
//
// add-file stores `mib` MiB of the lib.mjs test pattern (piece i of seed s is pattern number
// s * 65536 + i, 1 MiB pieces) with Helia's default UnixFS layout (1 MiB raw leaves, CIDv1).
// fetch reads every byte through @helia/unixfs (cat; ls and stat for directories), fetching
// missing blocks over Bitswap from the connected peers.
import { createHash } from 'node:crypto'
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { withBitswap } from '@helia/bitswap'
import { withLibp2pLight } from '@helia/libp2p'
import { unixfs } from '@helia/unixfs'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createHeliaLight } from 'helia'
import { CID } from 'multiformats/cid'
import { logger, positiveInt, serve } from './jsonl.mjs'
import { LIBP2P_VERSION, MAX_STREAM_WINDOW, pattern } from './lib.mjs'

/** Default wait of a command that talks to the network, in milliseconds. */
const DEFAULT_TIMEOUT_MS = 60_000
/** Largest file the add-file command makes, in MiB. */
const MAX_ADD_MIB = 1024
/** Bytes of test pattern generated and hashed at a time while adding. */
const ADD_PIECE = 1024 * 1024

const { values: args } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true },
    'seed-hex': { type: 'string' }
  },
  strict: true
})

const log = logger('helia-peer')

function privateKey () {
  if (args['seed-hex'] == null) {
    return undefined
  }
  const seed = Buffer.from(args['seed-hex'], 'hex')
  if (seed.byteLength !== 32) {
    throw new Error(`an Ed25519 seed has 32 bytes, got ${seed.byteLength}`)
  }
  return generateKeyPairFromSeed('Ed25519', seed)
}

const helia = withBitswap(withLibp2pLight(createHeliaLight(), {
  ...(args['seed-hex'] != null ? { privateKey: await privateKey() } : {}),
  addresses: { listen: args.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: MAX_STREAM_WINDOW } })],
  services: { identify: identify(), ping: ping() }
}))
await helia.start()
const fs = unixfs(helia)

function signal (cmd) {
  return AbortSignal.timeout(cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS)
}

/**
 * The deterministic test file: `length` bytes of the lib.mjs test pattern of stream `seed`,
 * generated piece by piece (each piece continues the pattern: piece i of seed s is pattern
 * number s * 65536 + i).
 */
async function * testFile (seed, length, hash) {
  for (let offset = 0, i = 0; offset < length; offset += ADD_PIECE, i++) {
    const piece = pattern(seed * 65536 + i, Math.min(ADD_PIECE, length - offset))
    hash.update(piece)
    yield piece
  }
}

/** Reads a whole file through UnixFS: its SHA-256 (hex) and length. */
async function readFile (cid, options) {
  const hash = createHash('sha256')
  let length = 0
  for await (const chunk of fs.cat(cid, options)) {
    hash.update(chunk)
    length += chunk.byteLength
  }
  return { sha256: hash.digest('hex'), length }
}

/** Every file under a directory, depth first in listing order, with its path. */
async function readDirectory (cid, prefix, options, files) {
  for await (const entry of fs.ls(cid, options)) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`
    // listing entries carry no type: ask for it
    const stat = await fs.stat(entry.cid, options)
    if (stat.type === 'directory') {
      await readDirectory(entry.cid, path, options, files)
    } else {
      files.push({ path, cid: entry.cid.toString(), ...(await readFile(entry.cid, options)) })
    }
  }
  return files
}

const commands = {
  async info () {
    return {
      peerId: helia.libp2p.peerId.toString(),
      addrs: helia.libp2p.getMultiaddrs().map(String),
      protocols: helia.libp2p.getProtocols()
    }
  },

  async dial (cmd) {
    const conn = await helia.libp2p.dial(multiaddr(cmd.addr), { signal: signal(cmd) })
    return { peerId: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString() }
  },

  /** Adds `mib` MiB of the test pattern of `seed` as a UnixFS file (Helia's default layout). */
  async 'add-file' (cmd) {
    const mib = positiveInt(cmd.mib, 'mib', MAX_ADD_MIB)
    const seed = cmd.seed ?? 0
    const length = mib * 1024 * 1024
    const hash = createHash('sha256')
    const started = performance.now()
    const cid = await fs.addByteStream(testFile(seed, length, hash))
    return { cid: cid.toString(), sha256: hash.digest('hex'), length, ms: performance.now() - started }
  },

  /**
   * Fetches a UnixFS DAG over Bitswap and reads it all: a file gives its SHA-256 and length,
   * a directory every file under it (path, CID, SHA-256, length).
   */
  async fetch (cmd) {
    const cid = CID.parse(cmd.cid)
    const options = { signal: signal(cmd) }
    const started = performance.now()
    const stat = await fs.stat(cid, options)
    if (stat.type === 'directory') {
      const files = await readDirectory(cid, '', options, [])
      return { type: 'directory', files, ms: performance.now() - started }
    }
    const file = await readFile(cid, options)
    return { type: stat.type, ...file, ms: performance.now() - started }
  }
}

serve({
  commands,
  stop: () => helia.stop(),
  log,
  ready: {
    peerId: helia.libp2p.peerId.toString(),
    addrs: helia.libp2p.getMultiaddrs().map(String),
    agentVersion: `${helia.info.name}/${helia.info.version}`,
    libp2pVersion: LIBP2P_VERSION
  }
})
