// The inspector: plain browser JavaScript, no build step and no outside requests. It reads a client's state from
// /_sandbox/inspector/clients/{id} (not journaled), polls a change token for live updates, and acts through the
// ordinary control API, so every click is a journaled, reproducible API call.

const $ = (sel, root = document) => root.querySelector(sel);

/** Build an element: h('button', { class: 'x', onclick }, 'text', child). Text is always set as text. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const nokFormat = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const nok = (n) => (n === null || n === undefined ? '—' : `${nokFormat.format(n)}`);
/** A local instant as the API gives it (2026-01-19T08:00:00+01:00) -> 2026-01-19 08:00. */
const when = (s) => (s ? s.slice(0, 16).replace('T', ' ') : '—');
const wallTime = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString('en-GB', { hour12: false });
};

// ---- talking to the sandbox ----------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem, text) {
    const fields = problem?.errors ? Object.entries(problem.errors).map(([f, r]) => `${f}: ${[r].flat().join(', ')}`).join('; ') : '';
    super(`${status} ${problem?.detail ?? problem?.title ?? text ?? ''}${fields && !String(problem?.detail ?? '').includes(fields) ? ` (${fields})` : ''}`.trim());
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = sessionStorage.getItem('inkasso-sandbox-admin-token');
  if (token) headers['x-sandbox-admin-token'] = token;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (res.status === 401 && path.startsWith('/_sandbox')) showTokenForm();
  if (!res.ok) throw new ApiError(res.status, json, text);
  return json;
}

function showTokenForm() {
  const form = $('#token-form');
  if (!form.hidden) return;
  form.hidden = false;
  $('#token-input').focus();
}

$('#token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('inkasso-sandbox-admin-token', $('#token-input').value);
  $('#token-form').hidden = true;
  start();
});

let flashTimer;
function flash(message, kind = 'ok') {
  const el = $('#flash');
  el.textContent = message;
  el.className = `flash ${kind}`;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => (el.className = 'flash'), kind === 'error' ? 15000 : 6000);
}

/** Run a click's API call; report its outcome; reload the view. */
async function act(label, fn) {
  try {
    const result = await fn();
    flash(typeof label === 'function' ? label(result) : label, 'ok');
  } catch (e) {
    flash(`${typeof label === 'string' ? label : 'Action'} failed: ${e.message}`, 'error');
  }
  await refresh();
}

/** Replace a section's content, keeping keyboard focus on the element with the same data-key. */
function fill(section, ...nodes) {
  const active = document.activeElement;
  const key = active && section.contains(active) ? active.dataset.key : undefined;
  section.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
  if (key) section.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

function table(head, rows, empty, attrs = {}) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'scroll' }, h('table', attrs, h('thead', {}, h('tr', {}, head.map((c) => (c instanceof Node ? h('th', {}, c) : h('th', { scope: 'col' }, c))))), h('tbody', {}, rows)));
}

// ---- the client list (/) -------------------------------------------------------------------------------

async function renderIndex() {
  $('#client-title').textContent = '';
  document.title = 'inkasso-sandbox inspector';
  const app = $('#app');
  const [{ clients }, catalogue] = await Promise.all([api('GET', '/_sandbox/clients'), api('GET', '/_sandbox/scenarios').catch(() => ({ scenarios: [] }))]);
  const list = clients.length
    ? h('ul', { class: 'clients' }, clients.map((c) => h('li', {}, h('a', { href: `/clients/${encodeURIComponent(c.id)}` }, c.name), ' ', h('code', {}, c.id))))
    : h('p', { class: 'muted' }, 'No clients yet: create one below, or with POST /_sandbox/clients.');
  const scenario = h('select', { id: 'new-scenario', name: 'scenario' }, h('option', { value: '' }, '(empty client)'), catalogue.scenarios.map((s) => h('option', { value: s.name, title: s.description }, `${s.name}: ${s.title}`)));
  const form = h(
    'form',
    {
      class: 'create',
      async onsubmit(e) {
        e.preventDefault();
        const data = new FormData(e.target);
        const body = {};
        if (data.get('name')) body.name = data.get('name');
        if (data.get('scenario')) body.scenario = data.get('scenario');
        if (data.get('startDate')) body.startDate = data.get('startDate');
        try {
          const client = await api('POST', '/_sandbox/clients', body);
          location.assign(`/clients/${encodeURIComponent(client.id)}`);
        } catch (err) {
          flash(`Could not create the client: ${err.message}`, 'error');
        }
      },
    },
    h('label', {}, 'Name ', h('input', { name: 'name', id: 'new-name', placeholder: 'Demo AS', maxlength: 100 })),
    h('label', {}, 'Scenario ', scenario),
    h('label', {}, 'Start date ', h('input', { name: 'startDate', id: 'new-start', type: 'date' })),
    h('button', { type: 'submit' }, 'Create client'),
  );
  fill(app, h('section', { class: 'card' }, h('h1', {}, 'Clients'), list), h('section', { class: 'card' }, h('h2', {}, 'New client'), form));
}

// ---- one client (/clients/{id}) ------------------------------------------------------------------------

const TABS = [
  { id: 'reminders', label: 'Reminder list', key: 'reminderList' },
  { id: 'draft', label: 'Draft', key: 'draft' },
  { id: 'approved', label: 'Approved', key: 'approved' },
  { id: 'open', label: 'Open', key: 'open' },
  { id: 'archived', label: 'Archived', key: 'archived' },
];

const state = {
  clientId: null,
  data: null,
  tab: 'draft',
  selected: new Set(),
  invoice: null,
  journal: { status: 'all', path: '', face: 'all' },
  highlightSeq: 0,
  loading: false,
  again: false,
};

function skeleton() {
  const clock = h(
    'section',
    { class: 'card', id: 'clock', 'aria-labelledby': 'clock-h' },
    h('h2', { id: 'clock-h' }, 'Clock'),
    h('div', { id: 'clock-now' }),
    h(
      'div',
      { class: 'buttons', role: 'group', 'aria-label': 'Advance the clock' },
      h('button', { type: 'button', id: 'advance-day', 'aria-keyshortcuts': 'd', title: 'key d', onclick: () => advance({ days: 1 }, 'a day') }, '+1 day'),
      h('button', { type: 'button', id: 'advance-week', 'aria-keyshortcuts': 'w', title: 'key w', onclick: () => advance({ days: 7 }, 'a week') }, '+1 week'),
      h('button', { type: 'button', id: 'advance-month', 'aria-keyshortcuts': 'm', title: 'key m', onclick: () => advance({ days: daysToNextMonth(state.data.client.today) }, 'a month') }, '+1 month'),
    ),
    h(
      'form',
      {
        class: 'inline',
        onsubmit(e) {
          e.preventDefault();
          const input = $('#advance-to');
          const to = input.value;
          if (to) advance({ to }, `to ${to}`).then(() => (input.value = ''));
        },
      },
      h('label', {}, 'Advance to ', h('input', { type: 'date', id: 'advance-to', required: true })),
      h('button', { type: 'submit' }, 'Go'),
    ),
    h('h3', {}, 'Snapshots'),
    h(
      'form',
      {
        class: 'inline',
        onsubmit(e) {
          e.preventDefault();
          const name = $('#snapshot-name').value.trim();
          if (name) act(`Saved snapshot ${name}`, () => api('POST', `${base()}/snapshots`, { name }));
        },
      },
      h('label', {}, 'Name ', h('input', { id: 'snapshot-name', required: true, maxlength: 64, pattern: '[A-Za-z0-9._\\-]+', placeholder: 'before-approve' })),
      h('button', { type: 'submit' }, 'Save snapshot'),
    ),
    h('div', { id: 'snapshots' }),
  );
  const journal = h(
    'section',
    { class: 'card', id: 'journal', 'aria-labelledby': 'journal-h' },
    h('h2', { id: 'journal-h' }, 'Request journal'),
    h(
      'div',
      { class: 'filters' },
      h('label', {}, 'Status ', h('select', { id: 'journal-status', onchange: (e) => ((state.journal.status = e.target.value), renderJournal()) }, ['all', '2xx', '4xx', '5xx', 'errors'].map((v) => h('option', { value: v }, v)))),
      h('label', {}, 'Calls ', h('select', { id: 'journal-face', onchange: (e) => ((state.journal.face = e.target.value), renderJournal()) }, h('option', { value: 'all' }, 'all'), h('option', { value: 'agency' }, 'agency only'), h('option', { value: 'control' }, 'control only'))),
      h('label', {}, 'Path ', h('input', { id: 'journal-path', type: 'search', placeholder: 'contains… (key /)', 'aria-keyshortcuts': '/', oninput: (e) => ((state.journal.path = e.target.value), renderJournal()) })),
    ),
    h('div', { id: 'journal-table' }),
  );
  return h(
    'div',
    { class: 'layout' },
    h(
      'div',
      { class: 'main' },
      h('section', { class: 'card', id: 'menu', 'aria-labelledby': 'menu-h' }, h('h2', { id: 'menu-h' }, 'Inkasso'), h('div', { id: 'tabs', role: 'tablist', 'aria-labelledby': 'menu-h' }), h('div', { id: 'tab-panel', role: 'tabpanel', tabindex: '-1' })),
      h('section', { class: 'card', id: 'invoice', 'aria-labelledby': 'invoice-h', hidden: true }),
      h('section', { class: 'card', id: 'customers', 'aria-labelledby': 'customers-h' }),
      journal,
    ),
    h('aside', { class: 'side' }, clock, h('section', { class: 'card', id: 'timeline', 'aria-labelledby': 'timeline-h' })),
  );
}

const base = () => `/_sandbox/clients/${encodeURIComponent(state.clientId)}`;

function daysToNextMonth(today) {
  const [y, m, d] = today.split('-').map(Number);
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const target = Date.UTC(y, m, Math.min(d, last));
  return Math.round((target - Date.UTC(y, m - 1, d)) / 86_400_000);
}

async function advance(body, label) {
  await act(
    (r) => {
      state.highlightSeq = r.events.at(-1)?.seq ?? 0;
      const caused = r.events.filter((e) => e.type !== 'clock.advanced').length;
      return `Advanced ${label}: today is ${r.today}; ${caused} event${caused === 1 ? '' : 's'} on the way`;
    },
    () => api('POST', `${base()}/clock/advance`, body),
  );
}

async function refresh() {
  if (!state.clientId) return;
  // One read at a time; a change that arrives meanwhile triggers one more.
  if (state.loading) {
    state.again = true;
    return;
  }
  state.loading = true;
  try {
    const q = state.invoice ? `?invoice=${encodeURIComponent(state.invoice)}` : '';
    try {
      state.data = await api('GET', `/_sandbox/inspector/clients/${encodeURIComponent(state.clientId)}${q}`);
    } catch (e) {
      if (e.status === 404 && state.invoice) {
        state.invoice = null;
        state.data = await api('GET', `/_sandbox/inspector/clients/${encodeURIComponent(state.clientId)}`);
      } else throw e;
    }
    render();
    $('#live').textContent = `live · updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}`;
  } catch (e) {
    if (e.status === 404) fill($('#app'), h('section', { class: 'card' }, h('h1', {}, 'No such client'), h('p', {}, e.message), h('a', { href: '/' }, 'All clients')));
    else flash(`Could not load: ${e.message}`, 'error');
  } finally {
    state.loading = false;
    if (state.again) {
      state.again = false;
      refresh();
    }
  }
}

function render() {
  const { client } = state.data;
  document.title = `${client.name} · inkasso-sandbox`;
  $('#client-title').replaceChildren(h('strong', {}, client.name), ' ', h('code', {}, client.id), ' ', h('span', { id: 'live', class: 'live' }));
  renderTabs();
  renderInvoice();
  renderCustomers();
  renderClock();
  renderTimeline();
  renderJournal();
}

// ---- Inkasso menu --------------------------------------------------------------------------------------

function listOf(tab) {
  const c = state.data.collection;
  return c[TABS.find((t) => t.id === tab).key];
}

function switchTab(id, focus = true) {
  state.tab = id;
  state.selected.clear();
  renderTabs();
  if (focus) $(`#tab-${id}`)?.focus();
}

function renderTabs() {
  const tabs = TABS.map((t, i) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${t.id}`,
        'aria-selected': String(state.tab === t.id),
        'aria-controls': 'tab-panel',
        tabindex: state.tab === t.id ? '0' : '-1',
        'aria-keyshortcuts': String(i + 1),
        dataset: { key: `tab-${t.id}` },
        onclick: () => switchTab(t.id),
        onkeydown(e) {
          const dir = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (!dir) return;
          e.preventDefault();
          switchTab(TABS[(i + dir + TABS.length) % TABS.length].id);
        },
      },
      t.label,
      ' ',
      h('span', { class: 'count' }, String(countOf(t.id))),
    ),
  );
  fill($('#tabs'), tabs);
  $('#tab-panel').setAttribute('aria-labelledby', `tab-${state.tab}`);
  // Forget ticks on invoices that left the list.
  const ids = new Set(listOf(state.tab).map((e) => (e.invoice ?? e).id));
  for (const id of state.selected) if (!ids.has(id)) state.selected.delete(id);
  fill($('#tab-panel'), panelFor(state.tab));
}

const menu = (name, body) => api('POST', `${base()}/collection/${name}`, body);
const PAST = { approve: 'Approved', hold: 'Put on hold', release: 'Released', remove: 'Removed' };

function selectionOutcome(name) {
  return (r) => {
    const n = r.changed.length;
    const skipped = r.skipped.length ? `; skipped ${r.skipped.map((s) => `#${s.invoiceNo} (${s.reason})`).join(', ')}` : '';
    return `${PAST[name]} ${n} invoice${n === 1 ? '' : 's'}${n ? `: ${r.changed.map((c) => `#${c.invoiceNo}`).join(', ')}` : ''}${skipped}`;
  };
}

function menuClick(name, body) {
  return act(selectionOutcome(name), async () => {
    const result = await menu(name, body);
    state.selected.clear();
    return result;
  });
}

function invoiceButton(inv) {
  return h('button', { type: 'button', class: 'linklike', dataset: { key: `open-${inv.id}` }, title: 'show explain, vouchers and matches', onclick: () => openInvoice(inv.id) }, `#${inv.invoiceNo}`);
}

function tick(id) {
  return h('input', {
    type: 'checkbox',
    'aria-label': 'select',
    dataset: { key: `tick-${id}` },
    checked: state.selected.has(id),
    onchange(e) {
      if (e.target.checked) state.selected.add(id);
      else state.selected.delete(id);
      renderToolbar();
    },
  });
}

function tickAll(ids) {
  const all = ids.length > 0 && ids.every((id) => state.selected.has(id));
  return h('input', {
    type: 'checkbox',
    'aria-label': 'select all',
    dataset: { key: 'tick-all' },
    checked: all,
    onchange(e) {
      for (const id of ids) e.target.checked ? state.selected.add(id) : state.selected.delete(id);
      renderTabs();
    },
  });
}

function invoiceCells(inv) {
  return [h('td', {}, invoiceButton(inv)), h('td', {}, inv.customerName), h('td', { class: 'date' }, inv.invoiceDate), h('td', { class: 'date' }, inv.dueDate), h('td', { class: 'num' }, nok(inv.amount)), h('td', { class: 'num' }, nok(inv.openAmount))];
}
const INVOICE_HEAD = ['Invoice', 'Customer', 'Invoice date', 'Due', 'Amount', 'Open'];

function renderToolbar() {
  const bar = $('#toolbar');
  if (!bar) return;
  const n = state.selected.size;
  const ids = [...state.selected];
  const b = (name, label, body, disabled) => h('button', { type: 'button', id: `${name}-${body.all ? 'all' : 'selected'}`, disabled, onclick: () => menuClick(name, body) }, label);
  if (state.tab === 'draft')
    fill(bar, b('approve', `Approve selected (${n})`, { invoiceIds: ids }, !n), b('approve', 'Approve all', { all: true }, !countOf('draft')), b('hold', `Hold selected (${n})`, { invoiceIds: ids }, !n), b('release', `Release selected (${n})`, { invoiceIds: ids }, !n), b('remove', `Remove selected (${n})`, { invoiceIds: ids }, !n));
  else if (state.tab === 'approved') fill(bar, b('remove', `Remove selected (${n})`, { invoiceIds: ids }, !n));
}

/** Rows a list shows at most (a seeded world may have tens of thousands); "Approve all" still means all. */
const MAX_ROWS = 500;

function panelFor(tab) {
  const list = listOf(tab).slice(0, MAX_ROWS);
  const total = countOf(tab);
  const more = total > list.length ? h('p', { class: 'hint' }, `Showing the first ${list.length} of ${total}.`) : null;
  return [panelRows(tab, list), more];
}

/** A list's full length (the server sends at most the first rows of a long list). */
function countOf(tab) {
  return state.data.counts?.[TABS.find((t) => t.id === tab).key] ?? listOf(tab).length;
}

function panelRows(tab, list) {
  if (tab === 'reminders') {
    const rows = list.map((e) => {
      const choice = h('select', { 'aria-label': `next action for #${e.invoice.invoiceNo}`, dataset: { key: `override-${e.invoice.id}` } }, ['Inkasso', 'None', 'Wait', 'Auto'].map((a) => h('option', { value: a }, a)));
      return h(
        'tr',
        {},
        invoiceCells(e.invoice),
        h('td', {}, h('span', { class: `tag ${e.nextAction}` }, e.nextAction)),
        h('td', {}, e.nextActionDate ?? '—'),
        h('td', { class: 'reason' }, e.reason),
        h(
          'td',
          { class: 'actions' },
          choice,
          h('button', { type: 'button', dataset: { key: `apply-${e.invoice.id}` }, onclick: () => act((r) => `Next action ${choice.value} for #${e.invoice.invoiceNo}${r.changed.length ? `: now ${r.changed[0].status}` : ''}${r.skipped.length ? `; skipped (${r.skipped[0].reason})` : ''}`, () => api('POST', `${base()}/collection/override`, { invoiceIds: [e.invoice.id], nextAction: choice.value })) }, 'Override'),
        ),
      );
    });
    return [h('p', { class: 'hint' }, 'Open invoices not yet in collection, with what the reminder run does next. Override sets the next action by hand (Inkasso makes a draft now).'), table([...INVOICE_HEAD, 'Next action', 'On', 'Why', 'Manual override'], rows, 'The reminder list is empty.')];
  }
  if (tab === 'draft') {
    const ids = list.map((e) => e.invoice.id);
    const rows = list.map((e) =>
      h(
        'tr',
        { class: e.onHold ? 'held' : '', dataset: { invoice: e.invoice.id } },
        h('td', {}, tick(e.invoice.id)),
        invoiceCells(e.invoice),
        h('td', {}, e.onHold ? h('span', { class: 'tag OnHold' }, 'On hold') : h('span', { class: 'tag Draft' }, 'Draft'), ' ', h('small', {}, when(e.draftedAt))),
        h(
          'td',
          { class: 'actions' },
          e.onHold
            ? h('button', { type: 'button', dataset: { key: `release-${e.invoice.id}` }, onclick: () => menuClick('release', { invoiceIds: [e.invoice.id] }) }, 'Release')
            : [h('button', { type: 'button', class: 'primary', dataset: { key: `approve-${e.invoice.id}` }, onclick: () => menuClick('approve', { invoiceIds: [e.invoice.id] }) }, 'Approve'), h('button', { type: 'button', dataset: { key: `hold-${e.invoice.id}` }, onclick: () => menuClick('hold', { invoiceIds: [e.invoice.id] }) }, 'Hold')],
          h('button', { type: 'button', dataset: { key: `remove-${e.invoice.id}` }, onclick: () => menuClick('remove', { invoiceIds: [e.invoice.id] }) }, 'Remove'),
        ),
      ),
    );
    const panel = [h('div', { id: 'toolbar', class: 'buttons', role: 'toolbar', 'aria-label': 'Draft actions' }), table([tickAll(ids), ...INVOICE_HEAD, 'State', 'Actions'], rows, 'No drafts: an overdue invoice becomes a draft on its draft day (advance the clock).')];
    queueMicrotask(renderToolbar);
    return panel;
  }
  if (tab === 'approved') {
    const ids = list.map((e) => e.invoice.id);
    const rows = list.map((e) =>
      h(
        'tr',
        { dataset: { invoice: e.invoice.id } },
        h('td', {}, tick(e.invoice.id)),
        invoiceCells(e.invoice),
        h('td', {}, when(e.approvedAt)),
        h('td', { class: 'reason' }, e.obstacle ? `${when(e.obstacle.at)}: ${e.obstacle.reason}` : '—'),
        h('td', { class: 'actions' }, h('button', { type: 'button', dataset: { key: `remove-${e.invoice.id}` }, onclick: () => menuClick('remove', { invoiceIds: [e.invoice.id] }) }, 'Remove')),
      ),
    );
    queueMicrotask(renderToolbar);
    return [h('p', { class: 'hint' }, 'Approved invoices are what the agency sees and may open cases for.'), h('div', { id: 'toolbar', class: 'buttons', role: 'toolbar', 'aria-label': 'Approved actions' }), table([tickAll(ids), ...INVOICE_HEAD, 'Approved', 'Obstacle', 'Actions'], rows, 'Nothing approved.')];
  }
  const rows = list.map((k) =>
    h(
      'tr',
      {},
      h('td', {}, k.code ?? '—'),
      h('td', {}, h('span', { class: `tag ${k.status}` }, k.status)),
      h('td', {}, k.integrationName),
      h('td', {}, k.invoices.map((i) => [invoiceButton(i), ' '])),
      h('td', { class: 'num' }, nok(k.balanceAgency)),
      h('td', { class: 'reason' }, k.history.at(-1)?.statusText ?? '—'),
      h('td', {}, when(k.lastChanged)),
    ),
  );
  return table(['Case', 'Status', 'Agency', 'Invoices', 'Balance at agency', 'Latest status', 'Changed'], rows, tab === 'open' ? 'No open cases.' : 'No archived cases.');
}

// ---- one invoice ---------------------------------------------------------------------------------------

function openInvoice(id) {
  state.invoice = id;
  refresh().then(() => $('#invoice-h')?.focus());
}

function renderInvoice() {
  const section = $('#invoice');
  const sel = state.data.selected;
  if (!sel) {
    section.hidden = true;
    section.replaceChildren();
    return;
  }
  section.hidden = false;
  const { invoice: inv, explain: ex, vouchers } = sel;
  const matches = inv.matches.map((m) => h('tr', { class: m.reversed ? 'reversed' : '' }, h('td', {}, m.kind), h('td', {}, m.date), h('td', { class: 'num' }, nok(m.amount)), h('td', {}, `${m.voucherType} ${m.voucherNo}`), h('td', {}, m.matchId ?? '—'), h('td', {}, m.isWriteOff ? 'write-off' : ''), h('td', {}, m.reversed ? 'reversed' : '')));
  const reminders = inv.reminders.map((r) => h('tr', {}, h('td', {}, r.step), h('td', {}, r.sentDate), h('td', {}, r.dueDate), h('td', { class: 'num' }, nok(r.fee)), h('td', { class: 'num' }, nok(r.interest)), h('td', {}, r.voucherNo ?? '—'), h('td', {}, r.reversed ? 'reversed' : '')));
  const voucherList = vouchers.map((v) =>
    h(
      'details',
      { class: 'voucher' },
      h('summary', {}, `${v.type} ${v.voucherNo} · ${v.date} · ${v.description}${v.reversedByVoucherId ? ' (reversed)' : ''}`),
      table(['Account', 'Amount', 'Customer', 'VAT', 'Text'], v.lines.map((l) => h('tr', {}, h('td', {}, l.account), h('td', { class: 'num' }, nok(l.amount)), h('td', {}, l.customerId ?? ''), h('td', {}, l.vatCode ?? ''), h('td', {}, l.description ?? ''))), 'No lines.'),
    ),
  );
  const history = ex.history.slice(-30).reverse().map((e) => h('li', {}, h('time', {}, when(e.at)), ' ', h('code', {}, e.type), ' ', e.cause));
  fill(
    section,
    h('div', { class: 'card-head' }, h('h2', { id: 'invoice-h', tabindex: '-1' }, `Invoice #${inv.invoiceNo} · ${inv.customerName}`), h('button', { type: 'button', onclick: () => ((state.invoice = null), refresh()) }, 'Close')),
    h('p', { class: 'explain', id: 'explain-summary' }, ex.summary),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Status'),
      h('dd', {}, h('span', { class: `tag ${inv.status}` }, inv.status), inv.caseCode ? ` case ${inv.caseCode}` : ''),
      h('dt', {}, 'Amount / open'),
      h('dd', {}, `${nok(inv.amount)} / ${nok(inv.openAmount)} ${inv.currencyCode}`),
      h('dt', {}, 'Dates'),
      h('dd', {}, `invoiced ${inv.invoiceDate}, due ${inv.dueDate}`),
      h('dt', {}, 'KID'),
      h('dd', {}, inv.cid ?? '—'),
      h('dt', {}, 'Where'),
      h('dd', {}, ex.where),
      h('dt', {}, 'Next'),
      h('dd', {}, ex.next ? `${ex.next.action} on ${ex.next.on} (${ex.next.rule}): ${ex.next.reason}` : `nothing by itself: ${ex.waiting ?? '—'}`),
      inv.obstacle ? [h('dt', {}, 'Obstacle'), h('dd', {}, `${when(inv.obstacle.at)}: ${inv.obstacle.reason}`)] : null,
    ),
    h('h3', {}, 'Matched items'),
    table(['Kind', 'Date', 'Amount', 'Voucher', 'Match', '', ''], matches, 'Nothing matched against this invoice.'),
    inv.reminders.length ? [h('h3', {}, 'Reminders'), table(['Step', 'Sent', 'Due', 'Fee', 'Interest', 'Voucher', ''], reminders, '')] : null,
    h('h3', {}, 'Vouchers'),
    voucherList.length ? voucherList : h('p', { class: 'muted' }, 'No vouchers.'),
    h('h3', {}, 'History'),
    h('ol', { class: 'history' }, history),
  );
}

// ---- customers -----------------------------------------------------------------------------------------

function renderCustomers() {
  const rows = state.data.customers.map((c) =>
    h(
      'tr',
      {},
      h('td', {}, c.number),
      h('td', {}, c.name),
      h('td', {}, c.organizationNumber ?? '—'),
      h('td', {}, c.hasCompleteMailAddress ? 'complete' : h('span', { class: 'warn' }, 'incomplete')),
      h(
        'td',
        {},
        h(
          'label',
          { class: 'switch' },
          h('input', {
            type: 'checkbox',
            role: 'switch',
            dataset: { key: `transfer-${c.id}` },
            checked: c.transferToDebtCollectionAgency,
            onchange: (e) =>
              act(`${c.name}: transfer to debt-collection agency ${e.target.checked ? 'on' : 'off'}`, () => api('PATCH', `${base()}/customers/${c.id}`, { transferToDebtCollectionAgency: e.target.checked })),
          }),
          c.transferToDebtCollectionAgency ? ' on' : ' off',
        ),
      ),
    ),
  );
  const total = state.data.counts?.customers ?? rows.length;
  fill($('#customers'), h('h2', { id: 'customers-h' }, 'Customers'), total > rows.length ? h('p', { class: 'hint' }, `Showing the first ${rows.length} of ${total}.`) : null, table(['No', 'Name', 'Org no', 'Mail address', 'Transfer to debt-collection agency'], rows, 'No customers.'));
}

// ---- clock and timeline --------------------------------------------------------------------------------

function renderClock() {
  const { client, snapshots } = state.data;
  fill($('#clock-now'), h('p', { class: 'today' }, h('span', { class: 'muted' }, 'Today '), h('strong', { id: 'today' }, client.today)), h('p', { class: 'muted' }, `now ${when(client.now)} (${client.timeZone})`));
  const to = $('#advance-to');
  if (to && !to.value) to.min = client.today;
  const rows = snapshots.map((s) =>
    h(
      'li',
      {},
      h('strong', {}, s.name),
      ` at ${when(s.clock)} · ${s.invoices} invoices `,
      h('button', { type: 'button', dataset: { key: `restore-${s.name}` }, onclick: () => act(`Restored snapshot ${s.name}`, () => api('POST', `${base()}/snapshots/${encodeURIComponent(s.name)}/restore`)) }, 'Restore'),
    ),
  );
  fill($('#snapshots'), rows.length ? h('ul', { class: 'snapshots' }, rows) : h('p', { class: 'muted' }, 'No snapshots.'));
}

// The advance event's cause names both ends in local time: "clock advanced from <from> to <to>".
const fromOf = (e) => /from (\S+)/.exec(e.cause)?.[1] ?? null;
const localOf = (e) => / to (\S+)$/.exec(e.cause)?.[1] ?? e.at;

/** Events grouped by the clock advance that caused them; other events (clicks, agency calls) stand alone. */
function timelineItems(events) {
  const items = [];
  for (const e of events) {
    if (e.type === 'clock.advanced') {
      const n = Number(e.data?.eventsCaused ?? 0);
      const caused = [];
      while (caused.length < n && items.length && items.at(-1).kind === 'event') caused.unshift(items.pop().event);
      items.push({ kind: 'advance', event: e, caused });
    } else items.push({ kind: 'event', event: e });
  }
  return items;
}

function renderTimeline() {
  const items = timelineItems(state.data.events).slice(-80).reverse();
  const li = items.map((it) => {
    const e = it.event;
    if (it.kind === 'advance')
      return h(
        'li',
        { class: `advance${e.seq === state.highlightSeq ? ' fresh' : ''}`, dataset: { seq: e.seq } },
        h('div', {}, h('strong', {}, '» Clock to ', when(e.data?.to ? localOf(e) : e.at)), ' ', h('span', { class: 'muted' }, `from ${when(fromOf(e))} · ${it.caused.length} event${it.caused.length === 1 ? '' : 's'}`)),
        it.caused.length ? h('ul', {}, it.caused.map((c) => h('li', {}, h('time', {}, when(c.at)), ' ', h('code', {}, c.type), ' ', c.cause))) : null,
      );
    return h('li', { class: 'event', dataset: { seq: e.seq } }, h('time', {}, when(e.at)), ' ', h('span', { class: 'actor' }, e.actor.kind), ' ', h('code', {}, e.type), ' ', e.cause);
  });
  fill($('#timeline'), h('h2', { id: 'timeline-h' }, 'Timeline'), li.length ? h('ol', { class: 'timeline', id: 'timeline-list' }, li) : h('p', { class: 'muted' }, 'Nothing has happened yet.'));
}

// ---- request journal -----------------------------------------------------------------------------------

const AGENCY_FACES = new Set(['v1', 'v2', 'auth']);

function journalMatches(r) {
  const f = state.journal;
  if (f.status === '2xx' && !(r.status >= 200 && r.status < 300)) return false;
  if (f.status === '4xx' && !(r.status >= 400 && r.status < 500)) return false;
  if (f.status === '5xx' && !(r.status >= 500 || r.status === 0)) return false;
  if (f.status === 'errors' && r.status < 400 && r.status !== 0) return false;
  if (f.face === 'agency' && !AGENCY_FACES.has(r.face)) return false;
  if (f.face === 'control' && AGENCY_FACES.has(r.face)) return false;
  return !f.path || r.path.toLowerCase().includes(f.path.toLowerCase());
}

function warningText(w) {
  if (typeof w === 'string') return w;
  if (w?.code && w?.message) return `${w.code}: ${w.message}`;
  return w?.message ?? w?.code ?? JSON.stringify(w);
}

function renderJournal() {
  if (!state.data) return;
  const names = new Map(state.data.client.integrations.map((i) => [i.id, i.name]));
  const shown = state.data.requests.filter(journalMatches);
  const rows = shown.map((r) => {
    const warnings = Array.isArray(r.warnings) ? r.warnings : [];
    return h(
      'tr',
      { class: r.status >= 400 || r.status === 0 ? 'failed' : '', dataset: { seq: r.seq } },
      h('td', {}, h('time', { datetime: r.at, title: r.sandboxTime ? `sandbox time ${r.sandboxTime}` : r.at }, wallTime(r.at))),
      h('td', {}, r.integrationId ? names.get(r.integrationId) ?? r.integrationId : h('span', { class: 'muted' }, r.face)),
      h('td', {}, r.method),
      h('td', { class: 'path' }, h('button', { type: 'button', class: 'linklike', dataset: { key: `req-${r.seq}` }, title: 'headers and bodies', onclick: () => openRequest(r) }, r.path)),
      h('td', {}, h('span', { class: `status s${String(r.status)[0]}` }, r.status || 'dropped')),
      h('td', { class: 'reason' }, r.problem ?? ''),
      h('td', { class: 'reason' }, warnings.length ? h('ul', { class: 'warnings' }, warnings.map((w) => h('li', { title: w?.evidence ?? '' }, warningText(w)))) : ''),
    );
  });
  const total = state.data.requests.length;
  fill($('#journal-table'), h('p', { class: 'muted' }, `${shown.length} of ${total} shown, newest first`), table(['Time', 'Integration', 'Method', 'Path', 'Status', 'Problem', 'Portability'], rows, 'No requests match.', { id: 'journal-list' }));
}

async function openRequest(r) {
  const dialog = $('#request-dialog');
  $('#request-title').textContent = `${r.method} ${r.path} → ${r.status || 'dropped'}`;
  $('#request-body').replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  dialog.showModal();
  try {
    const d = await api('GET', `/_sandbox/inspector/clients/${encodeURIComponent(state.clientId)}/requests/${r.seq}`);
    const headers = (o) => h('pre', {}, Object.entries(o).map(([k, v]) => `${k}: ${v}`).join('\n') || '(none)');
    const e = d.entry;
    fill(
      $('#request-body'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'When'),
        h('dd', {}, `${e.at}${e.sandboxTime ? ` (sandbox ${e.sandboxTime})` : ''}, ${e.durationMs} ms`),
        h('dt', {}, 'Operation'),
        h('dd', {}, `${e.operationId ?? '—'} (${e.face})`),
        e.problem ? [h('dt', {}, 'Problem'), h('dd', {}, e.problem)] : null,
        Array.isArray(e.warnings) && e.warnings.length ? [h('dt', {}, 'Portability'), h('dd', {}, h('ul', { class: 'warnings' }, e.warnings.map((w) => h('li', {}, warningText(w), w?.evidence ? h('br') : null, w?.evidence ? h('small', {}, w.evidence) : null))))] : null,
      ),
      d.kept ? null : h('p', { class: 'warn' }, 'The journal no longer keeps the bodies of this request (only the newest are kept).'),
      h('h3', {}, 'Request headers'),
      headers(d.requestHeaders),
      h('h3', {}, 'Request body'),
      h('pre', { id: 'request-body-text' }, d.requestBody ?? '(none)'),
      h('h3', {}, 'Response headers'),
      headers(d.responseHeaders),
      h('h3', {}, 'Response body'),
      h('pre', { id: 'response-body-text' }, d.responseBody ?? '(none)'),
    );
  } catch (e) {
    $('#request-body').replaceChildren(h('p', { class: 'warn' }, e.message));
  }
}

// ---- live updates and keys -----------------------------------------------------------------------------

let pollTimer;
async function poll() {
  clearTimeout(pollTimer);
  try {
    if (!document.hidden && state.data) {
      const { token } = await api('GET', `/_sandbox/inspector/clients/${encodeURIComponent(state.clientId)}/changes`);
      if (token !== state.data.token) await refresh();
    }
  } catch {
    $('#live') && ($('#live').textContent = 'offline: retrying');
  }
  pollTimer = setTimeout(poll, 1000);
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement || document.querySelector('dialog[open]')) return;
  if (e.key === '?') {
    e.preventDefault();
    $('#help').showModal();
    return;
  }
  if (!state.data) return;
  const actions = { d: '#advance-day', w: '#advance-week', m: '#advance-month' };
  if (actions[e.key]) {
    e.preventDefault();
    $(actions[e.key]).click();
  } else if (/^[1-5]$/.test(e.key)) {
    e.preventDefault();
    switchTab(TABS[Number(e.key) - 1].id);
  } else if (e.key === '/') {
    e.preventDefault();
    $('#journal-path').focus();
  }
});
$('#help-button').addEventListener('click', () => $('#help').showModal());

function start() {
  const m = /^\/clients\/([^/]+)\/?$/.exec(location.pathname);
  if (!m) {
    renderIndex().catch((e) => flash(`Could not load the clients: ${e.message}`, 'error'));
    return;
  }
  state.clientId = decodeURIComponent(m[1]);
  if (!$('.layout')) fill($('#app'), skeleton());
  refresh().then(poll);
}

start();
