/** inkasso-sandbox/sdk: the typed agency client and the sandbox control client. */
export { createAgencyClient, AgencyClient, POWEROFFICE, POWEROFFICE_DEMO, sandboxEndpoints } from './client/agency.js';
export type * from './client/agency.js';
export { odataFilter, type Filter } from './client/odata.js';
export { createSandbox, SandboxControl, ClientControl, endpointsOf } from './control/client.js';
export type * from './control/client.js';
export { ApiError, NetworkError, ArgumentError, type ProblemBody, type V1FailureBody, type SandboxDetail } from './errors.js';
export type { Fetch } from './http.js';
