import { inject } from 'vue'
import { CLASSROOM } from '~/classroom/context'
import { videoStore } from './video_store'

/** The page-wide media store (bound to the classroom itself, not to the calling component's lifetime). */
export function useVideo() {
  const classroom = inject(CLASSROOM)!
  return { classroom, video: videoStore(classroom) }
}
