// The article's relay (shared/seed), in plain JavaScript so that it runs
// without a build: POST /clockify formats one line and posts it to the
// webhook before it answers. Two changes so that it runs: the webhook and
// port come from the environment, and the handler answers with a body
// (the article's `return c.status(200)` returns nothing to Hono).
import { Hono } from 'hono'
import { serve } from '@hono/node-server'

const DISCORD_WEBHOOK = process.env.DISCORD_WEBHOOK_URL
const app = new Hono()

app.post('/clockify', async (c) => {
  const res = await c.req.json()

  let content = ''
  if (res.currentlyRunning) {
    content = `${res.user.name} が ${res.project?.clientName || ''} - ${res.project?.name || ''} ${res?.description || ''} を開始しました. `
  } else {
    content = `${res.user.name} が ${res.project?.clientName || ''} - ${res.project?.name || ''} ${res?.description || ''} を終了しました. お疲れ様でした.`
  }
  await fetch(DISCORD_WEBHOOK, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ content })
  })
  return c.body(null, 200)
})

serve({ fetch: app.fetch, port: Number(process.env.PORT || 8080), hostname: '127.0.0.1' })
