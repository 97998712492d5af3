/** The public sources fidelity rows cite, named once. */

/** The vendor's v1 documentation repository. */
export const DOCS = 'PowerOffice/go-api-documentation';
/** Its REST reference, at the commit the v1 rows were checked against. */
export const V1_DOCS = `${DOCS} (576c15bd) docs/api/reference/rest`;
/** The vendor-generated v2 OpenAPI, as copied into public repositories (2025-04 and about 2026-09). */
export const V2_2025 = 'stianwe/PowerOfficeGoV2 api/openapi.yaml (b9bc503, "API v2" APIM export, 2025-04)';
export const V2_2026 = 'anders2606/crm docs/poweroffice-apiv2-demo.json ("API v2 DEMO" APIM export, about 2026-09)';
