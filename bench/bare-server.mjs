// The "bare express" baseline: answers each path with bytes captured from the sandbox, nothing else.
// Usage: node bench/bare-server.mjs <fixtures.json>; prints "listening <port>".
import { readFileSync } from 'node:fs';
import express from 'express';

const fixtures = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(express.raw({ type: () => true, limit: '1mb' }));
for (const f of fixtures) {
  const body = Buffer.from(f.body, 'base64');
  app[f.method.toLowerCase()](f.path, (_req, res) => {
    res.status(f.status);
    for (const [k, v] of Object.entries(f.headers)) res.setHeader(k, v);
    res.end(body);
  });
}
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
