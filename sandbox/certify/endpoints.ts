/**
 * The four URLs an agency configures (v1 and v2 base and token URLs), for a client on a sandbox. One function, so
 * the day every sandbox answers `endpoints` on its client view this is the only place that changes.
 */
export interface AgencyEndpoints {
  v1: { baseUrl: string; tokenUrl: string };
  v2: { baseUrl: string; tokenUrl: string };
}

/** The production hosts as path prefixes on one sandbox port. */
export const HOST_PREFIXES = { v1: '/api.poweroffice.net', v2: '/goapi.poweroffice.net' } as const;

export async function agencyEndpoints(sandboxUrl: string, clientView: { endpoints?: AgencyEndpoints }): Promise<AgencyEndpoints> {
  if (clientView.endpoints?.v1?.baseUrl && clientView.endpoints?.v2?.baseUrl) return clientView.endpoints;
  const base = sandboxUrl.replace(/\/+$/, '');
  const prefixed: AgencyEndpoints = {
    v1: { baseUrl: `${base}${HOST_PREFIXES.v1}`, tokenUrl: `${base}${HOST_PREFIXES.v1}/OAuth/Token` },
    v2: { baseUrl: `${base}${HOST_PREFIXES.v2}/v2`, tokenUrl: `${base}${HOST_PREFIXES.v2}/OAuth/Token` },
  };
  // An older sandbox has only the unprefixed paths: a call without a token answers 401 where the route exists.
  const probe = await fetch(`${prefixed.v1.baseUrl}/DebtCollection/IsActiveDebtCollection`).then(
    (r) => r.status,
    () => 404,
  );
  if (probe !== 404) return prefixed;
  return { v1: { baseUrl: base, tokenUrl: `${base}/OAuth/Token` }, v2: { baseUrl: `${base}/v2`, tokenUrl: `${base}/OAuth/Token` } };
}
