// Swagger UI over this sandbox's own OpenAPI document: no outside requests (no validator badge, no telemetry).
// Each agency operation gets the production host it belongs to as its server, on this sandbox's address, so
// "Try it out" calls http://<this sandbox>/api.poweroffice.net/DebtCollection/... or .../goapi.poweroffice.net/v2/...
/* global SwaggerUIBundle */
const origin = window.location.origin;
const HOSTS = {
  v1: [
    { url: `${origin}/api.poweroffice.net`, description: 'v1 host (api.poweroffice.net)' },
    { url: `${origin}/api-demo.poweroffice.net`, description: 'v1 demo host' },
  ],
  v2: [
    { url: `${origin}/goapi.poweroffice.net`, description: 'v2 host (goapi.poweroffice.net)' },
    { url: `${origin}/goapi.poweroffice.net/Demo`, description: 'v2 demo' },
  ],
};

function withHosts(doc) {
  doc.servers = [{ url: origin, description: 'this sandbox' }];
  for (const item of Object.values(doc.paths ?? {}))
    for (const op of Object.values(item)) {
      const face = op?.['x-face'];
      if (face === 'v1' || face === 'v2') op.servers = HOSTS[face];
      else if (face === 'auth') op.servers = [...HOSTS.v1, ...HOSTS.v2, { url: origin, description: 'unprefixed: v2 token iff a subscription key is sent' }];
    }
  return doc;
}

function render(spec) {
  window.ui = SwaggerUIBundle({
    ...(spec ? { spec } : { url: '/openapi.json' }),
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayOperationId: true,
    filter: true,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
}

fetch('/openapi.json')
  .then((r) => r.json())
  .then((doc) => render(withHosts(doc)))
  .catch(() => render());
