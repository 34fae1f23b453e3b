import type { Component } from 'vue'
import { ThumbsUp, HandMetal, Heart, Laugh, Sparkles, Brain, PartyPopper, CircleQuestionMark } from 'lucide-vue-next'
import type { REACTIONS } from '../../../app/realtime/events'

type Reaction = (typeof REACTIONS)[number]

/*
| Reactions travel as emoji (the wire format, validated by the server) but are drawn as SVG icons:
| an emoji renders as an empty box where no emoji font is installed. `name` is the translation key
| under `classroom.reactions`.
*/
export const REACTION_ICONS: Record<Reaction, { name: string; icon: Component; colour: string }> = {
  '👍': { name: 'thumbsUp', icon: ThumbsUp, colour: '#2563eb' },
  '👏': { name: 'clap', icon: HandMetal, colour: '#d97706' },
  '❤️': { name: 'heart', icon: Heart, colour: '#dc2626' },
  '😂': { name: 'laugh', icon: Laugh, colour: '#ca8a04' },
  '😮': { name: 'wow', icon: Sparkles, colour: '#7c3aed' },
  '🤔': { name: 'thinking', icon: Brain, colour: '#0d9488' },
  '🎉': { name: 'party', icon: PartyPopper, colour: '#db2777' },
  '🙋': { name: 'question', icon: CircleQuestionMark, colour: '#0369a1' },
}

export const reactionOf = (emoji: string) => REACTION_ICONS[emoji as Reaction] ?? REACTION_ICONS['👍']
