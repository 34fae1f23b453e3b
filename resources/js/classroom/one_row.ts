import { nextTick, onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/**
 * Keeps a control bar on one row: when its buttons' labels would wrap it onto a second row, the
 * labels collapse to icons (still read by screen readers, the class `icon-only` hides them visually),
 * and they come back once the bar is wider than where they collapsed.
 */
export function useOneRow(bar: Ref<HTMLElement | null>) {
  const iconOnly = ref(false)
  let collapsedAtWidth = 0

  function fit() {
    const el = bar.value
    if (!el) return
    if (iconOnly.value) {
      if (el.clientWidth > collapsedAtWidth + 40) {
        iconOnly.value = false
        nextTick(fit)
      }
      return
    }
    const button = el.querySelector<HTMLElement>('.btn')
    if (button && el.offsetHeight > button.offsetHeight * 1.6 + 16) {
      collapsedAtWidth = el.clientWidth
      iconOnly.value = true
    }
  }

  let observer: ResizeObserver | null = null
  onMounted(() => {
    observer = new ResizeObserver(() => fit())
    if (bar.value) observer.observe(bar.value)
    fit()
  })
  onBeforeUnmount(() => observer?.disconnect())
  return iconOnly
}
