import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/*
| A "school network" for browser tests: a network namespace joined to the host by a veth pair
| (host end <prefix>.1/30, namespace end <prefix>.2/30), with nftables rules inside the namespace.
| Chromium runs inside it (launchChromium({ netns })) and reaches the web app, the media sidecar and
| coturn only through the host end's address. Needs root, iproute2 and nftables
| (bin/setup/system_packages.sh). Only the addresses of this veth pair are used.
*/

const IP = '/usr/sbin/ip'
const NFT = '/usr/sbin/nft'

export interface Netns {
  name: string
  /** The host end of the veth pair: where the namespace reaches the app, the sidecar and coturn. */
  hostIp: string
  /** The namespace's own address. */
  nsIp: string
  /** Replaces the namespace's nftables table `aula` with these chain bodies (empty: everything passes). */
  firewall(rules: { output?: string[]; input?: string[] }): void
  /** A script that runs Chromium inside the namespace, for playwright's executablePath. */
  chromiumWrapper: string
  destroy(): void
}

const run = (file: string, args: string[], input?: string) => execFileSync(file, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString()
const quiet = (file: string, args: string[]) => spawnSync(file, args, { stdio: 'ignore' })

/** Whether this machine can make namespaces with veth pairs and nftables (root, iproute2, nftables). */
export function netnsAvailable() {
  if (process.getuid?.() !== 0) return false
  return spawnSync(IP, ['-V'], { stdio: 'ignore' }).error === undefined && spawnSync(NFT, ['--version'], { stdio: 'ignore' }).error === undefined
}

/**
 * Removes what a crashed run of the same name left: processes still inside the namespace (by pid,
 * as `ip netns pids` lists them: they can only be that run's Chromium), the namespace and the host end.
 */
export function removeNetns(name: string) {
  const pids = spawnSync(IP, ['netns', 'pids', name], { encoding: 'utf8' }).stdout ?? ''
  for (const pid of pids.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {}
  }
  quiet(IP, ['netns', 'del', name])
  quiet(IP, ['link', 'del', `${name}h`])
}

/**
 * Creates namespace `name` (at most 13 characters: interface names are `<name>h` and `<name>n`)
 * with the link `<prefix>.1` (host) — `<prefix>.2` (namespace), e.g. prefix '10.77.120'.
 */
export function createNetns(name: string, prefix: string): Netns {
  if (name.length > 13) throw new Error(`namespace name ${name} is too long for its interface names`)
  removeNetns(name)
  const hostIp = `${prefix}.1`
  const nsIp = `${prefix}.2`
  const dir = join(tmpdir(), `aula-netns-${name}`)
  const destroy = () => {
    removeNetns(name)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    run(IP, ['netns', 'add', name])
    run(IP, ['link', 'add', `${name}h`, 'type', 'veth', 'peer', 'name', `${name}n`])
    run(IP, ['link', 'set', `${name}n`, 'netns', name])
    run(IP, ['addr', 'add', `${hostIp}/30`, 'dev', `${name}h`])
    run(IP, ['link', 'set', `${name}h`, 'up'])
    run(IP, ['-n', name, 'addr', 'add', `${nsIp}/30`, 'dev', `${name}n`])
    run(IP, ['-n', name, 'link', 'set', `${name}n`, 'up'])
    run(IP, ['-n', name, 'link', 'set', 'lo', 'up'])
    run(IP, ['-n', name, 'route', 'add', 'default', 'via', hostIp])
    mkdirSync(dir, { recursive: true })
    const chromiumWrapper = join(dir, 'chromium')
    const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
    writeFileSync(chromiumWrapper, `#!/bin/sh\nexec ${IP} netns exec ${name} ${chromium} "$@"\n`)
    chmodSync(chromiumWrapper, 0o755)
    const netns: Netns = {
      name,
      hostIp,
      nsIp,
      chromiumWrapper,
      firewall(rules) {
        const chain = (hook: string, lines: string[] = []) =>
          `  chain ${hook} {\n    type filter hook ${hook} priority 0; policy accept;\n${lines.map((l) => `    ${l}\n`).join('')}  }\n`
        // Declaring the table first makes the delete below valid whether or not it existed.
        run(IP, ['netns', 'exec', name, NFT, '-f', '-'], `table inet aula\ndelete table inet aula\ntable inet aula {\n${chain('output', rules.output)}${chain('input', rules.input)}}\n`)
      },
      destroy,
    }
    return netns
  } catch (error) {
    destroy()
    throw error
  }
}

/** A plain TCP forwarder (listenHost:listenPort → targetHost:targetPort), e.g. to expose the loopback-bound test server on the veth address. */
export async function tcpForward(listenHost: string, listenPort: number, targetHost: string, targetPort: number) {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect({ host: targetHost, port: targetPort })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listenPort, listenHost, () => resolve())
  })
  return {
    url: `http://${listenHost}:${listenPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
