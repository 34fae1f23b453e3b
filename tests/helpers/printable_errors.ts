import { ErrorsPrinter } from '@japa/errors-printer'

/**
 * Japa's error printer (youch) throws on a stack frame without a file name, which Playwright errors
 * carry (a page's frames), and the failing test's message is then lost from the output. When that
 * happens the error is printed plainly instead.
 */
export function keepFailuresPrintable() {
  const printError = ErrorsPrinter.prototype.printError
  ErrorsPrinter.prototype.printError = async function (this: ErrorsPrinter, error: unknown) {
    try {
      await printError.call(this, error)
    } catch {
      console.error(error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error))
    }
  }
}
