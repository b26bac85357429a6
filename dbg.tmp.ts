import { ServerProcess } from './test/fixtures/server-process.js'
import { request, Agent } from 'node:http'
import { writeFileSync } from 'node:fs'
const NOTE = 'A note long enough to make the page large. '.repeat(400)
writeFileSync('/tmp/works-big.json', JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ id: `work-${i}`, type: 'book', title: `W ${i}`, note: NOTE }))))
const s = new ServerProcess({ PORT: '0', HOST: '127.0.0.1', DATA_FILE: '/tmp/works-big.json', SHUTDOWN_GRACE_MS: '20000' })
const base = await s.listening()
const agent = new Agent({ keepAlive: true })
let got = 0
await new Promise<void>((resolve) => request(`${base}/works?rows=1000`, { agent }, (res) => {
  res.once('data', (c) => { got += c.length; res.pause(); resolve() })
  res.on('data', (c) => { got += c.length })
  res.on('aborted', () => console.log('aborted at', got))
  res.on('end', () => console.log('end at', got))
}).end())
await new Promise((r) => setTimeout(r, 500))
s.child.kill('SIGTERM')
console.log('exit', await s.exited)
console.log(s.stdout.slice(-1500))
process.exit(0)
