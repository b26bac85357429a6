import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Replaces `file` with `text` so that, once this resolves, the new content survives a crash and a
 * reader sees either the old file or the new one whole: a temporary file in the same directory is
 * written and flushed, renamed over the file, and the directory flushed so that the rename is kept.
 */
export async function replaceFileDurably(file: string, text: string): Promise<void> {
  const directory = dirname(file)
  const temporary = join(directory, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx')
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  const directoryHandle = await open(directory, 'r')
  try {
    await directoryHandle.sync()
  } finally {
    await directoryHandle.close()
  }
}
