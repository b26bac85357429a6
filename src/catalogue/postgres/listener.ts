import pg from 'pg'
import { unavailableReason } from './errors.js'

/** The channel the works table's triggers notify on (migrations/). */
const CHANNEL = 'citeserve_works'

/** What one notification says: the catalogue's version after the change, and the ids changed (all when null). */
export interface CatalogueChange {
  readonly version: string
  readonly ids: readonly string[] | null
}

export interface ListenerEvents {
  /** Listening (again): changes made while not listening were not heard. */
  readonly connected: () => void
  /** Not listening any more; it reconnects by itself. */
  readonly disconnected: (reason: string) => void
  readonly changed: (change: CatalogueChange) => void
}

/** Longest wait between two attempts to reconnect. */
const MAX_RETRY_MS = 500
/** How often the connection is checked: a connection that died silently is noticed within this much. */
const HEARTBEAT_MS = 1000

/**
 * Listens for the catalogue's change notifications on a connection of its own, and reconnects when it
 * drops. A heartbeat reads the catalogue's version: a change that was not heard (its notification lost
 * with a connection, say) is reported as a change of everything.
 */
export class ChangeListener {
  private client: pg.Client | undefined
  private closed = false
  private retryMs = 0
  private heartbeat: NodeJS.Timeout | undefined
  private retry: NodeJS.Timeout | undefined
  private knownVersion = -1n

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly events: ListenerEvents,
  ) {}

  /** Connects and listens; resolves once listening, or rejects when the first attempt fails (it keeps trying). */
  start(): Promise<void> {
    return this.connect()
  }

  private async connect(): Promise<void> {
    if (this.closed) return
    const client = new pg.Client(this.config)
    this.client = client
    let dropped = false
    const drop = (reason: string) => {
      if (dropped) return
      dropped = true
      this.dropped(client, reason)
    }
    client.on('error', (error) => drop(error.message))
    client.on('end', () => drop('connection ended'))
    client.on('notification', ({ channel, payload }) => {
      if (channel === CHANNEL && payload !== undefined) this.notified(JSON.parse(payload) as CatalogueChange)
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${CHANNEL}`)
      const version = await this.readVersion(client)
      if (this.closed || dropped) return
      this.knownVersion = version
      this.retryMs = 0
      this.events.connected()
      this.heartbeat = setInterval(() => void this.beat(client, drop), HEARTBEAT_MS)
      this.heartbeat.unref()
    } catch (error) {
      drop(unavailableReason(error) ?? (error instanceof Error ? error.message : String(error)))
      throw error
    }
  }

  private async readVersion(client: pg.Client): Promise<bigint> {
    const { rows } = await client.query<{ version: string }>('SELECT version::text FROM catalogue_state')
    return BigInt(rows[0]?.version ?? '0')
  }

  private async beat(client: pg.Client, drop: (reason: string) => void): Promise<void> {
    try {
      const version = await this.readVersion(client)
      // Notifications of commits this read sees may still be on their way: only a version above
      // them all means one was missed.
      if (version > this.knownVersion) {
        this.knownVersion = version
        this.events.changed({ version: version.toString(), ids: null })
      }
    } catch (error) {
      drop(error instanceof Error ? error.message : String(error))
    }
  }

  private notified(change: CatalogueChange): void {
    const version = BigInt(change.version)
    if (version > this.knownVersion) this.knownVersion = version
    this.events.changed(change)
  }

  private dropped(client: pg.Client, reason: string): void {
    clearInterval(this.heartbeat)
    void client.end().catch(() => undefined)
    if (this.closed) return
    this.events.disconnected(reason)
    this.retry = setTimeout(() => {
      this.connect().catch(() => undefined)
    }, this.retryMs)
    this.retry.unref()
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2 + 50)
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.heartbeat)
    clearTimeout(this.retry)
    await this.client?.end().catch(() => undefined)
  }
}
