/**
 * Reading the pacts to verify, before the verifier runs: files and folders, spec v2 to v4, HTTP interactions only.
 * Every provider state is resolved against the catalogue here, so an unknown state or a bad parameter stops the
 * run with one message naming each problem and listing the known states (the Pact verifier itself only warns).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  closestState,
  knownStatesText,
  providedValues,
  ProviderStateError,
  resolveState,
  stateTitle,
  type ResolvedState,
} from '../provider-states.js';

export interface WrittenState {
  name: string;
  params: Record<string, unknown>;
}

export interface PactInteraction {
  file: string;
  consumer: string;
  provider: string;
  description: string;
  /** v4 interaction key, when the file has one. */
  key: string | null;
  /** v4 pending interactions: a failure is reported but does not fail the run. */
  pending: boolean;
  states: WrittenState[];
  /** The states resolved against the catalogue (same order). */
  resolved: ResolvedState[];
  request: { method: string; path: string };
  /** The request path comes from a provider-state expression (not the pact's example). */
  pathFromState: boolean;
  expectedStatus: number | null;
}

export interface PactFile {
  file: string;
  consumer: string;
  provider: string;
  specVersion: string;
  interactions: PactInteraction[];
}

/** A pact that cannot be verified as written: unreadable, not a pact, unknown provider states, bad params. */
export class PactInputError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
    this.name = 'PactInputError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function looksLikePact(doc: unknown): doc is Json {
  return (
    isObject(doc) && isObject(doc.consumer) && isObject(doc.provider) && (Array.isArray(doc.interactions) || Array.isArray(doc.messages))
  );
}

function statesOf(interaction: Json): WrittenState[] {
  if (Array.isArray(interaction.providerStates))
    return interaction.providerStates
      .filter(isObject)
      .map((s) => ({ name: String(s.name ?? ''), params: isObject(s.params) ? s.params : {} }));
  if (typeof interaction.providerState === 'string' && interaction.providerState) return [{ name: interaction.providerState, params: {} }];
  return [];
}

/** The provider-state expressions of an interaction's generators: where each is used and the values it names. */
function stateExpressions(interaction: Json): Array<{ where: string; names: string[] }> {
  const found: Array<{ where: string; names: string[] }> = [];
  const visit = (side: string, generators: unknown) => {
    if (!isObject(generators)) return;
    for (const [category, value] of Object.entries(generators)) {
      const entries: Array<[string, unknown]> =
        isObject(value) && typeof value.type === 'string'
          ? [[category, value]]
          : isObject(value)
            ? Object.entries(value).map(([k, v]) => [`${category} ${k}`, v])
            : [];
      for (const [where, gen] of entries) {
        if (!isObject(gen) || gen.type !== 'ProviderState' || typeof gen.expression !== 'string') continue;
        const names = [...gen.expression.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!.trim());
        if (names.length) found.push({ where: `the ${side} ${where}`, names });
      }
    }
  };
  for (const side of ['request', 'response'] as const) {
    const part = interaction[side];
    if (isObject(part)) visit(side, part.generators);
  }
  return found;
}

function specVersion(doc: Json): string {
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const spec = (
    isObject(meta.pactSpecification) ? meta.pactSpecification : isObject(meta['pact-specification']) ? meta['pact-specification'] : {}
  ) as Json;
  return String(spec.version ?? '2.0.0');
}

/** The pact files named: files as given, folders as their *.json files (sorted); other JSON in a folder is skipped. */
async function pactFilesOf(paths: string[]): Promise<{ files: Array<{ file: string; explicit: boolean }>; problems: string[] }> {
  const files: Array<{ file: string; explicit: boolean }> = [];
  const problems: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) problems.push(`${p}: no such file or folder`);
    else if (info.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
      if (!names.length) problems.push(`${p}: the folder holds no .json files`);
      for (const n of names) files.push({ file: join(p, n), explicit: false });
    } else files.push({ file: p, explicit: true });
  }
  return { files, problems };
}

export async function loadPacts(paths: string[]): Promise<{ pacts: PactFile[]; skipped: string[] }> {
  if (!paths.length) throw new PactInputError('give at least one pact file or folder', ['no pact given']);
  const { files, problems } = await pactFilesOf(paths);
  const pacts: PactFile[] = [];
  const skipped: string[] = [];
  const unknown: string[] = [];
  for (const { file, explicit } of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      problems.push(`${file}: not readable as JSON (${(e as Error).message})`);
      continue;
    }
    if (!looksLikePact(doc)) {
      if (explicit) problems.push(`${file}: not a pact file (it needs consumer, provider and interactions)`);
      else skipped.push(`${file} (not a pact)`);
      continue;
    }
    const consumer = String((doc.consumer as Json).name ?? '');
    const provider = String((doc.provider as Json).name ?? '');
    if (Array.isArray(doc.messages) && doc.messages.length)
      problems.push(`${file}: has message interactions; the sandbox verifies HTTP interactions only`);
    const pact: PactFile = { file: resolve(file), consumer, provider, specVersion: specVersion(doc), interactions: [] };
    const list = Array.isArray(doc.interactions) ? doc.interactions.filter(isObject) : [];
    if (!list.length) problems.push(`${file}: has no interactions`);
    for (const [i, raw] of list.entries()) {
      const description = String(raw.description ?? `interaction ${i + 1}`);
      const where = `${file}: interaction "${description}"`;
      if (typeof raw.type === 'string' && raw.type !== 'Synchronous/HTTP') {
        problems.push(`${where} is ${raw.type}; the sandbox verifies HTTP interactions (Synchronous/HTTP) only`);
        continue;
      }
      const request = isObject(raw.request) ? raw.request : {};
      const response = isObject(raw.response) ? raw.response : {};
      const states = statesOf(raw);
      const resolved: ResolvedState[] = [];
      for (const state of states) {
        try {
          resolved.push(resolveState(state.name, state.params));
        } catch (e) {
          if (!(e instanceof ProviderStateError)) throw e;
          if (e.kind === 'unknown') {
            const near = closestState(state.name);
            unknown.push(`${where} is given "${state.name}"${near ? ` (did you mean "${near}"?)` : ''}`);
          } else problems.push(`${where}: ${e.message}`);
        }
      }
      if (resolved.length === states.length) {
        const provided = providedValues(resolved.map((r) => r.name));
        for (const { where: usedAt, names } of stateExpressions(raw))
          for (const name of names.filter((n) => !provided.includes(n)))
            problems.push(
              `${where} uses \${${name}} in ${usedAt}, which ` +
                `${
                  states.length
                    ? `its provider state${states.length === 1 ? '' : 's'} (${states.map((st) => `"${st.name}"`).join(', ')}` +
                      `) do${states.length === 1 ? 'es' : ''} ` +
                      `not provide`
                    : 'an interaction without a provider state does not get'
                }; ` +
                `available: ${provided.join(', ')}`,
            );
      }
      pact.interactions.push({
        file: pact.file,
        consumer,
        provider,
        description,
        key: typeof raw.key === 'string' ? raw.key : null,
        pending: raw.pending === true,
        states,
        resolved,
        request: { method: String(request.method ?? 'GET').toUpperCase(), path: String(request.path ?? '/') },
        pathFromState:
          isObject(request.generators) && isObject(request.generators.path) && request.generators.path.type === 'ProviderState',
        expectedStatus: typeof response.status === 'number' ? response.status : null,
      });
    }
    pacts.push(pact);
  }
  if (unknown.length) {
    problems.push(
      `unknown provider state${unknown.length === 1 ? '' : 's'}:\n${unknown.map((u) => `  ${u}`).join('\n')}\n` +
        `The sandbox knows these provider states (name one as written, with the values inline, or by an alias; the rest goes in ` +
        `params):\n${knownStatesText()}\n` +
        'See contracts/provider-states.md for what each state sets up and the values it provides.',
    );
  }
  if (!problems.length && !pacts.length) problems.push(`no pact files in ${paths.join(', ')}`);
  if (problems.length) throw new PactInputError(problems.length === 1 ? problems[0]! : problems.map((p) => `- ${p}`).join('\n'), problems);
  return { pacts, skipped };
}

/** How the Pact verifier names an interaction in its results. */
export function verifierKey(i: Pick<PactInteraction, 'consumer' | 'provider' | 'states' | 'description'>): string {
  const given = i.states.length ? ` Given ${i.states.map((s) => s.name).join(' And ')}` : '';
  return `Verifying a pact between ${i.consumer} and ${i.provider}${given} - ${i.description}`;
}

/**
 * The states as a reader wants them: a sentence written with placeholders gets its values (the parameters, else
 * what the state provided, e.g. the invoice number it picked); a name written otherwise stays as written, with
 * its params.
 */
export function statesTitle(i: PactInteraction, provided: Record<string, unknown> = {}): string {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return i.states
    .map((state, k) => {
      const resolved = i.resolved[k];
      const templated = resolved && norm(state.name) === norm(resolved.name);
      const named = templated ? [...resolved.name.matchAll(/\{(\w+)\}/g)].map((m) => m[1]) : [];
      const params = Object.entries(state.params).filter(([key]) => !named.includes(key));
      if (templated) {
        const title = stateTitle(resolved.name, { ...provided, ...resolved.params });
        return params.length ? `${title} (${params.map(([key, v]) => `${key} ${JSON.stringify(v)}`).join(', ')})` : title;
      }
      return params.length ? `${state.name} (${params.map(([key, v]) => `${key} ${JSON.stringify(v)}`).join(', ')})` : state.name;
    })
    .join(' and ');
}
