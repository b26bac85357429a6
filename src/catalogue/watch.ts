import { statSync, watch } from 'node:fs'
import { dirname } from 'node:path'

/** What identifies one version of the file: a rename or a symlink swap changes the inode, a write the time. */
function versionOf(file: string): string {
  try {
    const { ino, size, mtimeMs } = statSync(file)
    return `${ino}:${size}:${mtimeMs}`
  } catch {
    return 'absent'
  }
}

/**
 * Calls `changed` when the data file has changed and then stayed unchanged for `quietMs`, so that the
 * several writes of one update make one reload. It watches the directory, not the file: a file
 * replaced by a rename (the atomic way to publish one) or behind a swapped symlink (a Kubernetes
 * ConfigMap) would leave a watch on the old file blind. Any event in the directory only rechecks the
 * file's inode, size and modification time; other files coming and going cause no reload. Not
 * chokidar: this needs one directory watch and a stat, and chokidar's quiet period (awaitWriteFinish)
 * would poll the file instead.
 */
export interface DataFileWatcher {
  /** Takes the file as it is now as seen: the service's own writes cause no reload. */
  acknowledge(): void
  close(): void
}

export function watchDataFile(file: string, quietMs: number, changed: () => void, failed: (error: Error) => void): DataFileWatcher {
  let seen = versionOf(file)
  let timer: NodeJS.Timeout | undefined
  const watcher = watch(dirname(file), () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      const now = versionOf(file)
      if (now === seen) return
      seen = now
      changed()
    }, quietMs)
  })
  watcher.on('close', () => clearTimeout(timer))
  // The directory removed or made unreadable: watching stops; the catalogue serves on, and SIGHUP still reloads.
  watcher.on('error', (error) => {
    watcher.close()
    failed(error)
  })
  return {
    acknowledge: () => {
      seen = versionOf(file)
    },
    close: () => watcher.close(),
  }
}
