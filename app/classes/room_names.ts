/*
| What people called a class's rooms other than 'main': the plugin that makes rooms (breakouts)
| names them; whoever shows rooms outside the live class (the whiteboard's after-class review) asks.
| Neither imports the other: both go through the host (host.classes).
*/

/** Room key → the name people gave it, for one class (rooms without a name are left out). */
export type RoomNamesProvider = (sessionId: number) => Promise<Record<string, string>>

const providers = new Map<string, RoomNamesProvider>()

/** One provider per plugin; a plugin set up again replaces its earlier one. */
export function provideRoomNames(pluginId: string, provider: RoomNamesProvider) {
  providers.set(pluginId, provider)
}

/** Every provider's names for the class's rooms, merged (later plugins win for the same key). */
export async function roomNames(sessionId: number): Promise<Record<string, string>> {
  const names: Record<string, string> = {}
  for (const provider of providers.values()) Object.assign(names, await provider(sessionId))
  return names
}
