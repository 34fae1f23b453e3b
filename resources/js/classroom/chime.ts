/** A short, soft two-note chime (Web Audio, no file to load). */
let context: AudioContext | null = null

export function chime() {
  try {
    context ??= new AudioContext()
    const now = context.currentTime
    for (const [i, frequency] of [660, 880].entries()) {
      const osc = context.createOscillator()
      const gain = context.createGain()
      osc.type = 'sine'
      osc.frequency.value = frequency
      gain.gain.setValueAtTime(0, now + i * 0.12)
      gain.gain.linearRampToValueAtTime(0.06, now + i * 0.12 + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.35)
      osc.connect(gain).connect(context.destination)
      osc.start(now + i * 0.12)
      osc.stop(now + i * 0.12 + 0.4)
    }
  } catch {
    // No audio output: the visual queue is enough.
  }
}
