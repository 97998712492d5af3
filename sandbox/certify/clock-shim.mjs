// Clock shim for Node agencies under `inkasso-sandbox certify --shim-clock` (node --import <this file>):
// Date follows the client's sandbox clock, so an integration that takes its "changed since" cursor from its own
// clock sees the sandbox's time. It reads the start time from POWEROFFICE_SANDBOX_TIME and then polls the control
// API (INKASSO_SANDBOX_URL, INKASSO_SANDBOX_CLIENT). Between polls Date stands still, as the sandbox clock does
// between advances; timers and performance.now() keep real time. `Date()` called as a function (the string form)
// follows too: a function, not a class, because a class cannot be called without `new`.
const RealDate = globalThis.Date;
const base = process.env.INKASSO_SANDBOX_URL;
const client = process.env.INKASSO_SANDBOX_CLIENT;
const start = Date.parse(process.env.POWEROFFICE_SANDBOX_TIME ?? process.env.INKASSO_SANDBOX_NOW ?? '');
let sandboxNow = Number.isFinite(start) ? start : undefined;

function SandboxDate(...args) {
  if (!new.target) return new RealDate(SandboxDate.now()).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [SandboxDate.now()] : args, new.target);
}
// Date.UTC, Date.parse and the prototype stay the real ones, so `instanceof Date` holds for every date.
Object.setPrototypeOf(SandboxDate, RealDate);
SandboxDate.prototype = RealDate.prototype;
SandboxDate.now = () => sandboxNow ?? RealDate.now();
globalThis.Date = SandboxDate;

if (base && client) {
  const headers = process.env.INKASSO_SANDBOX_ADMIN_TOKEN ? { 'x-sandbox-admin-token': process.env.INKASSO_SANDBOX_ADMIN_TOKEN } : {};
  const poll = async () => {
    try {
      const res = await fetch(`${base}/_sandbox/clients/${encodeURIComponent(client)}/clock`, { headers });
      if (res.ok) {
        const ms = RealDate.parse((await res.json()).now);
        if (Number.isFinite(ms)) sandboxNow = ms;
      }
    } catch {
      // the sandbox is gone or busy: keep the last time
    }
  };
  await poll();
  setInterval(poll, Number(process.env.INKASSO_CLOCK_SHIM_POLL_MS ?? 100)).unref();
}
