// The JSON-lines loop of the interop peers (peer.mjs, helia-peer.mjs), kept in one place so
// that both speak the protocol of README.md the same way: commands on stdin, one JSON object
// per line with `cmd` and `id`; one reply line per command on stdout echoing the `id`, with
// `ok: true` and the command's fields, or `ok: false`, `error` and `errorName`; events (the
// first is `ready`) on stdout too; logs on stderr only.
import { createInterface } from 'node:readline'

/** A log function writing to stderr, stamped and tagged: stdout carries JSON lines only. */
export function logger (tag) {
  return (...parts) => console.error(new Date().toISOString(), `[${tag}]`, ...parts)
}

/** Writes one object as a JSON line on stdout. */
export function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

/** A command field that must be an integer from 1 to `max`; a failed check fails the command. */
export function positiveInt (value, name, max) {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new Error(`"${name}" must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`)
  }
  return value
}

/**
 * Emits the ready event (`ready`: its fields besides `event`), then answers commands from stdin.
 * `commands` maps each command name to an async function of the command object that returns
 * the reply's fields, or throws to fail the command. A `stop` command is added: it runs `stop`
 * (which stops the node) and exits. SIGTERM, SIGINT and the end of stdin stop the node and exit
 * as well, so the process never outlives whoever drives it; `stop` runs once however many of
 * these arrive.
 */
export function serve ({ commands, stop, log, ready }) {
  let stopping
  const shutdown = () => {
    stopping ??= stop().catch((err) => log('stop failed:', err))
    return stopping
  }
  const all = {
    ...commands,
    async stop () {
      await shutdown()
      return {}
    }
  }

  async function handle (line) {
    let cmd
    try {
      cmd = JSON.parse(line)
    } catch (err) {
      emit({ id: null, ok: false, error: `not JSON: ${err.message}` })
      return
    }
    const id = cmd?.id ?? null
    const name = cmd?.cmd
    // own names only: "toString" and the like are unknown commands, not Object methods
    const run = typeof name === 'string' && Object.hasOwn(all, name) ? all[name] : undefined
    if (run == null) {
      emit({ id, ok: false, error: `unknown command ${JSON.stringify(name)}` })
      return
    }
    try {
      const reply = await run(cmd)
      emit({ ...reply, id, ok: true })
    } catch (err) {
      log(`command ${name} (id ${id}) failed:`, err)
      emit({ id, ok: false, error: err.message ?? String(err), errorName: err.name })
    }
    if (name === 'stop') {
      process.exit(0)
    }
  }

  process.on('unhandledRejection', (err) => log('unhandled rejection:', err))
  for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => shutdown().finally(() => process.exit(0)))
  }

  emit({ event: 'ready', ...ready })
  log('ready as', ready.peerId, 'on', ready.addrs.join(' '))

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  lines.on('line', (line) => {
    if (line.trim() !== '') {
      handle(line)
    }
  })
  // the driving process went away: never outlive it
  lines.on('close', () => shutdown().finally(() => process.exit(0)))
}
