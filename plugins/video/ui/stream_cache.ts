/*
| One MediaStream per remote track. A <video>/<audio> element restarts (black frame, new
| decoder) whenever its srcObject is replaced, so the stream wrapping a track must be created
| once and reused for as long as the track lives, never during render.
*/
const streams = new WeakMap<MediaStreamTrack, MediaStream>()

export function streamOf(track: MediaStreamTrack): MediaStream {
  let stream = streams.get(track)
  if (!stream) {
    stream = new MediaStream([track])
    streams.set(track, stream)
  }
  return stream
}
