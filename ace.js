/*
| JavaScript entrypoint for running ace commands. It registers the TypeScript
| loader (in development) and then imports bin/console.ts.
*/
import 'ts-node-maintained/register/esm'
await import('./bin/console.js')
