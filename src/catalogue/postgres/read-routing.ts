import type pg from 'pg'
import { unavailableReason } from './errors.js'

/** A WAL position ("16/B374D848") as a number, to compare. */
function parseLsn(lsn: string): bigint {
  const [high = '0', low = '0'] = lsn.split('/')
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`)
}

/** How often a standby behind what this process must read is asked how far it has replayed. */
const CATCH_UP_POLL_MS = 20
/** How long a standby that failed is left alone before reads go to it again. */
const STANDBY_REST_MS = 1000

/**
 * Sends reads to the standby (DATABASE_READ_URL) when it has replayed everything this process must
 * see, and to the primary otherwise: a write of this process, or a change it was notified of, is
 * read back at once, from the primary until the standby has replayed it. Without a standby every
 * read goes to the primary.
 */
export class ReadRouting {
  /** The WAL position a standby must have replayed to serve reads; unknown (a position is being asked) is "never". */
  private required = 0n
  private unknownRequirements = 0
  private replayed = 0n
  private polling: NodeJS.Timeout | undefined
  private restingUntil = 0

  constructor(
    private readonly primary: pg.Pool,
    private readonly standby: pg.Pool | undefined,
  ) {}

  /** The pool the next read goes to. */
  get reads(): pg.Pool {
    if (this.standby === undefined || !this.standbyCurrent()) return this.primary
    return this.standby
  }

  private standbyCurrent(): boolean {
    return this.unknownRequirements === 0 && this.replayed >= this.required && Date.now() >= this.restingUntil
  }

  /** A read from the standby failed because it is unreachable: read from the primary for a while. */
  standbyFailed(error: unknown): boolean {
    if (this.standby === undefined || unavailableReason(error) === undefined) return false
    this.restingUntil = Date.now() + STANDBY_REST_MS
    return true
  }

  /**
   * Something changed on the primary that reads must see from now on. Until its WAL position is
   * known, reads go to the primary.
   * @param position reads the primary's current WAL position (on a connection that saw the change)
   */
  async mustSee(position: () => Promise<string>): Promise<void> {
    if (this.standby === undefined) return
    this.unknownRequirements++
    try {
      const lsn = parseLsn(await position())
      if (lsn > this.required) this.required = lsn
    } catch {
      // Unknown, then: the standby may lag behind it for a while, so it rests.
      this.restingUntil = Date.now() + STANDBY_REST_MS
    } finally {
      this.unknownRequirements--
    }
    this.pollUntilCaughtUp()
  }

  private pollUntilCaughtUp(): void {
    if (this.polling !== undefined || this.standby === undefined) return
    const standby = this.standby
    const poll = async () => {
      try {
        const { rows } = await standby.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')
        const lsn = rows[0]?.lsn
        if (lsn) this.replayed = parseLsn(lsn)
      } catch {
        // An unreachable standby is noticed by the reads too; keep asking.
      }
      if (this.replayed >= this.required) this.polling = undefined
      else this.schedule(poll)
    }
    this.schedule(poll)
  }

  private schedule(poll: () => Promise<void>): void {
    this.polling = setTimeout(() => void poll(), CATCH_UP_POLL_MS)
    this.polling.unref()
  }

  close(): void {
    clearTimeout(this.polling)
    this.polling = undefined
  }
}
