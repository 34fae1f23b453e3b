import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import app from '@adonisjs/core/services/app'

/**
 * Server factory for the Ignitor and the test utils: creates the Node HTTP
 * server and attaches socket.io to it, so both share one port.
 */
export function createServerWithRealtime(handler: (req: IncomingMessage, res: ServerResponse) => any) {
  const server = createServer(handler)
  app.container.make('realtime').then((realtime) => realtime.attach(server))
  return server
}
