import { existsSync, readdirSync, readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { pageAs } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'

/*
| Finding untranslated strings: the same page is opened with an English and a German profile and
| every visible text is compared. A text that reads the same in both is untranslated unless it is
| data (names, titles, e-mail addresses, numbers, the brand) or a word German shares with English
| (then it is a value in a German catalogue).
*/

/** Every German catalogue text (core and plugins, each plural form). */
export function germanCatalogue(): Set<string> {
  const values = new Set<string>()
  const walk = (value: unknown) => {
    if (typeof value === 'string') value.split(' | ').forEach((form) => values.add(form.trim()))
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  const files = ['resources/js/locales/de.json', ...readdirSync('plugins').map((id) => `plugins/${id}/ui/locales/de.json`)]
  for (const file of files.filter((f) => existsSync(f))) walk(JSON.parse(readFileSync(file, 'utf8')))
  return values
}

/** A text is data when, once the given data strings are taken out, no letters are left. */
export function dataFilter(data: string[]) {
  const shared = germanCatalogue()
  const known = [...data, 'Aula'].sort((a, b) => b.length - a.length)
  return (text: string) =>
    shared.has(text) ||
    !/\p{L}{2,}/u.test(text) ||
    known
      .reduce((rest, d) => rest.replaceAll(d, ''), text)
      .replace(/[\w.+-]+@[\w.-]+/g, '')
      .replace(/\d+([.,]\d+)?\s?(KB|MB|GB|kB)\b/g, '')
      .replace(/\bv\d+(\.\d+)*\b/g, '')
      .replace(/[^\p{L}]/gu, '') === ''
}

/** Logs in with a browser of that language and a profile language (null: follow the browser). */
export function loggedInAs(browser: Browser, email: string, locale: 'en' | 'de'): Promise<Page> {
  return pageAs(browser, { email }, TEST_URL, undefined, locale === 'de' ? 'de-DE' : 'en-US')
}

/** Every visible text (text nodes, aria-label, title, placeholder, alt, option labels) outside the drawing canvas. */
export function visibleTexts(page: Page) {
  return page.evaluate(() => {
    const texts = new Set<string>()
    const shown = (el: Element) => (el as HTMLElement).getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    const skip = (el: Element) => !!el.closest('.excalidraw, script, style, [data-test=wb-excalidraw]')
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      const text = node.textContent?.replace(/\s+/g, ' ').trim()
      if (!parent || !text || skip(parent)) continue
      if (!shown(parent) && !(parent.closest('select') && shown(parent.closest('select')!)) && !parent.closest('.sr-only')) continue
      texts.add(text)
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
      if (skip(el) || !shown(el)) continue
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(attr)?.replace(/\s+/g, ' ').trim()
        if (value) texts.add(value)
      }
    }
    texts.add(document.title)
    return [...texts]
  })
}
