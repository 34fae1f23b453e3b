/** `--name=value` options of a bench script (`--flag` alone means 'true'), with a bounded number reader. */
export function benchArgs(argv = process.argv.slice(2)) {
  const args = new Map(
    argv.map((arg) => {
      const [key, value = 'true'] = arg.replace(/^--/, '').split('=')
      return [key, value] as const
    })
  )
  const num = (name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
    const value = args.has(name) ? Number(args.get(name)) : fallback
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`bad option --${name}=${args.get(name)} (${min}..${max})`)
    return value
  }
  return { args, num }
}
